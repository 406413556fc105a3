"""The browser security layer, from the attacker's side: forged forms, framing, leaky cookies."""

from __future__ import annotations

from fastapi.testclient import TestClient

from onedoor.runtime import Runtime
from portal.config import PortalConfig
from portal.security.csrf import csrf_token
from portal.security.sessions import new_session_id
from tests.portal.conftest import client_for
from tests.portal.helpers import HTML, csrf_token_of

FORM = {"lang": "en", "next": "/portal/"}


def test_a_form_with_the_session_token_is_accepted(client: TestClient) -> None:
    token = csrf_token_of(client)
    response = client.post("/portal/language", data={**FORM, "csrf_token": token})
    assert response.status_code == 303


def test_a_post_without_token_gets_403_and_the_standard_body(client: TestClient) -> None:
    csrf_token_of(client)
    response = client.post("/portal/language", data=FORM)
    assert response.status_code == 403
    assert response.json() == {
        "error": {
            "code": "csrf_failed",
            "message": "The form is missing its security token or the token is not valid "
            "for this session.",
        }
    }
    assert "onedoor_lang" not in response.headers.get("set-cookie", "")


def test_every_unsafe_method_and_unknown_route_is_checked(client: TestClient) -> None:
    for method in ("POST", "PUT", "PATCH", "DELETE"):
        response = client.request(method, "/portal/anything", data=FORM)
        assert response.status_code == 403, method
    assert client.post("/portal/rating", json={"score": 5}).status_code == 403


def test_a_token_from_another_session_is_refused(
    client: TestClient, portal_runtime: Runtime, portal_app: object
) -> None:
    attacker_token = csrf_token_of(client)
    client.cookies.clear()
    csrf_token_of(client)  # the victim's own session
    response = client.post("/portal/language", data={**FORM, "csrf_token": attacker_token})
    assert response.status_code == 403


def test_a_forged_or_truncated_token_is_refused(client: TestClient) -> None:
    token = csrf_token_of(client)
    for forged in (token[:-1], token[:-1] + ("A" if token[-1] != "A" else "B"), "x" * 43, " "):
        response = client.post("/portal/language", data={**FORM, "csrf_token": forged})
        assert response.status_code == 403, forged


def test_a_token_minted_with_another_key_is_refused(client: TestClient) -> None:
    csrf_token_of(client)
    session = next(v for k, v in client.cookies.items() if k == "onedoor_portal")
    forged = csrf_token(key=b"k" * 32, session_id=session)
    response = client.post("/portal/language", data={**FORM, "csrf_token": forged})
    assert response.status_code == 403


def test_a_planted_session_cookie_without_its_token_is_refused(client: TestClient) -> None:
    client.cookies.set("onedoor_portal", new_session_id())
    response = client.post("/portal/language", data={**FORM, "csrf_token": "guess"})
    assert response.status_code == 403


def test_the_token_header_works_for_scripts(client: TestClient) -> None:
    token = csrf_token_of(client)
    response = client.post("/portal/language", data=FORM, headers={"x-csrf-token": token})
    assert response.status_code == 303


def test_a_cross_site_request_is_refused_even_with_a_token(client: TestClient) -> None:
    token = csrf_token_of(client)
    data = {**FORM, "csrf_token": token}
    evil = client.post("/portal/language", data=data, headers={"origin": "https://evil.example"})
    assert evil.status_code == 403
    fetch = client.post("/portal/language", data=data, headers={"sec-fetch-site": "cross-site"})
    assert fetch.status_code == 403
    own_form = client.post(
        "/portal/language", data=data,
        headers={"origin": "null", "sec-fetch-site": "same-origin"},
    )
    assert own_form.status_code == 303


def test_a_huge_body_is_refused_before_any_route_runs(client: TestClient) -> None:
    token = csrf_token_of(client)
    response = client.post(
        "/portal/rating", data={"csrf_token": token, "centre_code": "A" * 300_000}
    )
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"


def test_a_browser_gets_a_translated_page_when_refused(client: TestClient) -> None:
    response = client.post("/portal/language", data=FORM, headers=HTML)
    assert response.status_code == 403
    assert "ແບບຟອມໝົດອາຍຸແລ້ວ" in response.text and "csrf_failed" in response.text


def test_pages_carry_a_strict_policy_and_no_caching(client: TestClient) -> None:
    response = client.get("/portal/", headers=HTML)
    csp = response.headers["content-security-policy"]
    for directive in (
        "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:",
        "frame-ancestors 'none'", "form-action 'self' http://127.0.0.1:8000",
    ):
        assert directive in csp
    assert "unsafe-inline" not in csp and "<script>" not in response.text
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["cache-control"] == "no-store"
    assert "strict-transport-security" not in response.headers


def test_the_session_cookie_is_httponly_lax_and_not_secure_on_loopback_http(
    client: TestClient,
) -> None:
    cookie = client.get("/portal/").headers["set-cookie"]
    assert cookie.startswith("onedoor_portal=")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie


def test_over_https_cookies_are_secure_and_host_bound(portal_runtime: Runtime) -> None:
    config = PortalConfig(
        public_url="https://portal.example.la/portal", secret=b"s" * 32,
        idp_origin="https://idp.example.la",
    )
    with client_for(portal_runtime, config) as client:
        response = client.get("/portal/", headers=HTML)
        token = csrf_token_of(client)
        chosen = client.post("/portal/language", data={**FORM, "csrf_token": token})
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("__Host-onedoor_portal=") and "; Secure" in cookie
    assert "Path=/" in cookie and "Domain" not in cookie
    assert response.headers["strict-transport-security"] == "max-age=31536000"
    assert "form-action 'self' https://idp.example.la" in response.headers[
        "content-security-policy"
    ]
    assert "secure" in chosen.headers["set-cookie"].lower()


def test_the_language_switch_never_redirects_off_site(client: TestClient) -> None:
    token = csrf_token_of(client)
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:x"):
        response = client.post(
            "/portal/language", data={"lang": "en", "next": target, "csrf_token": token}
        )
        assert response.headers["location"] == "/portal/", target
