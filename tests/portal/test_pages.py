"""Start page, consoles, errors, static files and the sign-in placeholder, in Lao and English."""

from __future__ import annotations

import json
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient

from onedoor.errors import ConfigurationError
from onedoor.runtime import Runtime
from portal.config import OidcClient, PortalConfig, config_from_settings
from portal.login.state import LOGIN_COOKIE, open_login_state
from portal.static_files import IMMUTABLE
from tests.portal.conftest import client_for, portal_settings
from tests.portal.helpers import HTML, csrf_token_of


def test_the_start_page_is_lao_by_default(client: TestClient) -> None:
    response = client.get("/portal/", headers=HTML)
    assert response.status_code == 200
    assert '<html lang="lo">' in response.text
    assert "ສະບາຍດີ" in response.text and "ເຂົ້າສູ່ລະບົບ" in response.text
    for console in ("/portal/officer/", "/portal/citizen/", "/portal/privacy/"):
        assert f'href="{console}"' in response.text
        assert client.get(console, headers=HTML).status_code == 200


def test_accept_language_then_the_cookie_choose_the_language(client: TestClient) -> None:
    english = client.get("/portal/", headers={**HTML, "accept-language": "en-GB,en;q=0.8"})
    assert '<html lang="en">' in english.text and "Sign in" in english.text
    token = csrf_token_of(client)
    client.post("/portal/language", data={"lang": "lo", "next": "/", "csrf_token": token})
    lao = client.get("/portal/", headers={**HTML, "accept-language": "en"})
    assert '<html lang="lo">' in lao.text


def test_the_language_is_never_taken_from_the_url(client: TestClient) -> None:
    response = client.get("/portal/?lang=en", headers=HTML)
    assert '<html lang="lo">' in response.text
    assert "?lang" not in response.text


def test_an_unknown_language_is_refused(client: TestClient) -> None:
    token = csrf_token_of(client)
    response = client.post("/portal/language", data={"lang": "xx", "csrf_token": token})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_form"


def test_the_404_page_is_translated_and_api_clients_get_the_standard_body(
    client: TestClient,
) -> None:
    page = client.get("/portal/no-such-page", headers={**HTML, "accept-language": "en"})
    assert page.status_code == 404 and "Page not found" in page.text
    assert "ບໍ່ພົບໜ້ານີ້" in client.get("/portal/no-such-page", headers=HTML).text
    api = client.get("/portal/no-such-page")
    assert api.status_code == 404 and api.json()["error"]["code"] == "not_found"
    assert client.get("/portal/health").json()["status"] == "ok"


def test_static_files_have_versioned_urls_and_long_caching(client: TestClient) -> None:
    page = client.get("/portal/", headers=HTML).text
    css_path = page.split('rel="stylesheet" href="')[1].split('"')[0]
    assert css_path.startswith("/portal/static/") and css_path.endswith("/portal.css")
    css = client.get(css_path)
    assert css.status_code == 200 and css.headers["cache-control"] == IMMUTABLE
    assert css.headers["content-type"].startswith("text/css")
    assert '"Noto Sans Lao", "Phetsarath OT", "Saysettha OT"' in css.text
    assert client.get("/portal/static/0000000000000000/portal.css").status_code == 404
    assert client.get("/portal/static/x/../../app.py").status_code == 404


def test_sign_in_explains_that_it_is_not_configured_yet(client: TestClient) -> None:
    response = client.get("/portal/login", headers={**HTML, "accept-language": "en"})
    assert response.status_code == 503
    assert "Sign-in is not available yet" in response.text


def test_sign_in_goes_to_the_idp_with_pkce_and_a_sealed_state(
    portal_runtime: Runtime,
) -> None:
    config = PortalConfig(
        public_url="http://127.0.0.1:8000/portal", secret=b"s" * 32,
        idp_origin="http://127.0.0.1:8000",
        oidc=OidcClient(
            authorization_endpoint="http://127.0.0.1:8000/idp/authorize", client_id="portal",
            redirect_uri="http://127.0.0.1:8000/portal/login/callback",
        ),
    )
    with client_for(portal_runtime, config) as client:
        response = client.get("/portal/login")
    assert response.status_code == 303
    target = urlsplit(response.headers["location"])
    query = {k: v[0] for k, v in parse_qs(target.query).items()}
    assert target.path == "/idp/authorize"
    assert query["response_type"] == "code" and query["code_challenge_method"] == "S256"
    assert query["ui_locales"] == "lo" and query["client_id"] == "portal"
    sealed = response.cookies[LOGIN_COOKIE]
    state = open_login_state(sealed, key=config.derive_key("login"), now=int(time.time()))
    assert (state.state, state.nonce, state.code_challenge) == (
        query["state"], query["nonce"], query["code_challenge"],
    )
    assert state.code_verifier not in response.headers["location"]


def test_the_client_registration_is_read_from_the_state_dir(tmp_path: Path) -> None:
    settings = portal_settings(tmp_path / "var")
    assert config_from_settings(settings).oidc is None
    path = settings.state_dir / "portal" / "oidc-client.json"
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"authorization_endpoint": "https://idp/authorize",
                                "client_id": "portal"}))
    client = config_from_settings(settings).oidc
    assert client is not None and client.redirect_uri.endswith("/portal/login/callback")
    path.write_text("{not json")
    with pytest.raises(ConfigurationError):
        config_from_settings(settings)


def test_plain_http_is_refused_off_loopback() -> None:
    with pytest.raises(ConfigurationError, match="https"):
        PortalConfig(public_url="http://portal.example.la/portal", secret=b"s" * 32,
                     idp_origin="https://idp.example.la")
