"""Officers log in with password + security key (WebAuthn) on the provider's pages.

The software authenticator plays the browser and the key; the relying party is derived from
``base_url`` (``http://localhost``: rp id ``localhost``, origin ``http://localhost``).
"""

from __future__ import annotations

import html
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi import FastAPI
from joserfc import jwt
from joserfc.jwk import KeySet
from sqlalchemy import Engine, select
from starlette.testclient import TestClient

from idp.accounts.rights import AccountKind
from idp.accounts.service import create_centre, create_staff_account
from idp.app import create_app
from idp.enrolment import EnrolmentTokenError, check_enrolment_token, issue_enrolment_token
from idp.mfa.keys import MfaKeys, load_mfa_keys
from idp.mfa.models import WebAuthnCredential
from idp.oidc import acr
from idp.oidc.clients import RegisteredClient, register_client
from idp.oidc.strings import LO
from onedoor.config import Settings
from onedoor.db import open_database, transaction
from onedoor.migrate import upgrade
from onedoor.runtime import Runtime, create_runtime
from tests.conftest import ENGINES, _new_database_url
from tests.idp.accounts.support import CHEAP_HASHER
from tests.idp.mfa.webauthn_authenticator import SoftwareAuthenticator
from tests.idp.oidc.conftest import REDIRECT, form_fields, pkce_pair, query_of

PASSWORD = "lantern over the mekong"
ORIGIN = "http://localhost"
_OPTIONS = re.compile(r'data-options="([^"]*)"')


@dataclass
class World:
    http: TestClient
    runtime: Runtime
    keys: MfaKeys
    client: RegisteredClient
    login: str
    key: SoftwareAuthenticator


@pytest.fixture(scope="module", params=ENGINES)
def own_engine(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    """A database of this module's own (both engines): what these tests commit stays here."""
    engine = open_database(_new_database_url(request.param, request, tmp_path_factory.mktemp("db")))
    upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def world(own_engine: Engine, tmp_path: Path) -> Iterator[World]:
    settings = Settings(
        state_dir=tmp_path / "var", key_passphrase="test passphrase", base_url=ORIGIN
    )
    runtime = create_runtime(settings, engine=own_engine)
    keys = load_mfa_keys(settings, create=True)
    now = datetime.now(UTC)
    suffix = uuid.uuid4().hex[:8]
    with transaction(runtime.sessions) as session:
        create_centre(session, code=f"K-{suffix}", name_lo="ສູນ", name_en="Centre",
                      province="VTE", now=now)
        create_staff_account(
            session, kind=AccountKind.OFFICER, login=f"officer-{suffix}", display_name="Officer",
            password=PASSWORD, now=now, centre_code=f"K-{suffix}", hasher=CHEAP_HASHER,
        )
        client = register_client(
            session, name="Portal", grant_types=["authorization_code"],
            auth_method="client_secret_basic", scopes=["openid", "profile", "onedoor"],
            redirect_uris=[REDIRECT], now=int(now.timestamp()),
        )
    outer = FastAPI()
    outer.mount("/idp", create_app(runtime))
    with TestClient(outer, base_url=ORIGIN) as http:
        yield World(http, runtime, keys, client, f"officer-{suffix}",
                    SoftwareAuthenticator(rp_id="localhost", origin=ORIGIN))


def _token(world: World) -> str:
    with transaction(world.runtime.sessions) as session:
        return issue_enrolment_token(
            session, login=world.login, keys=world.keys, now=datetime.now(UTC)
        )


def _enrol(world: World, token: str, key: SoftwareAuthenticator | None = None) -> object:
    """The enrolment pages: token, then the new key's attestation."""
    page = world.http.get("/idp/enrol")
    assert "script-src 'self'" in page.headers["content-security-policy"]
    options_page = world.http.post(
        "/idp/enrol", data={**form_fields(page.text), "token": token}, follow_redirects=False
    )
    if options_page.status_code != 200:
        return options_page
    options = html.unescape(_OPTIONS.search(options_page.text).group(1))  # type: ignore[union-attr]
    credential = (key or world.key).create(options)
    return world.http.post(
        "/idp/enrol/key", data={**form_fields(options_page.text), "credential": credential},
        follow_redirects=False,
    )


def _to_second_step(world: World) -> tuple[object, str]:
    verifier, challenge = pkce_pair()
    start = world.http.get("/idp/authorize", params={
        "response_type": "code", "client_id": world.client.client.client_id,
        "redirect_uri": REDIRECT, "scope": "openid profile onedoor", "state": "s", "nonce": "n",
        "code_challenge": challenge, "code_challenge_method": "S256",
    }, follow_redirects=False)
    login_page = world.http.get(start.headers["location"]).text
    after = world.http.post("/idp/login", data={
        **form_fields(login_page), "login": world.login, "password": PASSWORD,
    }, follow_redirects=False)
    assert "/login/code" in after.headers["location"]
    return world.http.get(after.headers["location"]), verifier


def _assert_with(world: World, page: object, **forge: object) -> object:
    text = page.text  # type: ignore[attr-defined]
    options = html.unescape(_OPTIONS.search(text).group(1))  # type: ignore[union-attr]
    assertion = world.key.get(options, **forge)  # type: ignore[arg-type]
    return world.http.post("/idp/login/key", data={**form_fields(text), "credential": assertion},
                           follow_redirects=False)


def test_an_officer_enrols_a_key_then_logs_in_with_it(world: World) -> None:
    registered = _enrol(world, _token(world))
    assert registered.status_code == 200  # type: ignore[attr-defined]
    assert LO["key_registered"] in registered.text  # type: ignore[attr-defined]
    page, verifier = _to_second_step(world)
    assert 'data-webauthn="get"' in page.text  # type: ignore[attr-defined]
    assert 'name="code"' not in page.text  # type: ignore[attr-defined]  # staff: keys only
    assert "script-src 'self'" in page.headers["content-security-policy"]  # type: ignore[attr-defined]
    done = _assert_with(world, page)
    redirect = done.headers["location"]  # type: ignore[attr-defined]
    assert redirect.startswith(REDIRECT)
    tokens = world.http.post("/idp/token", data={
        "grant_type": "authorization_code", "code": query_of(redirect)["code"],
        "redirect_uri": REDIRECT, "code_verifier": verifier,
    }, auth=(world.client.client.client_id, world.client.secret or "")).json()
    claims = jwt.decode(tokens["id_token"], KeySet.import_key_set(
        world.http.get("/idp/jwks").json())).claims
    assert {"pwd", "hwk", "mfa"} <= set(claims["amr"])
    assert claims["acr"] in (acr.LOW, acr.SUBSTANTIAL, acr.HIGH)


def test_the_script_is_served_same_origin() -> None:
    from idp.oidc.security_key import SCRIPT_PATH, router

    assert any(getattr(route, "path", None) == SCRIPT_PATH for route in router.routes)


def test_a_staff_account_without_a_key_is_told_to_enrol(world: World) -> None:
    page, _ = _to_second_step(world)
    assert page.status_code == 403  # type: ignore[attr-defined]
    assert LO["no_security_key"] in page.text  # type: ignore[attr-defined]


@pytest.mark.parametrize("forgery", ["other_key", "wrong_origin", "wrong_rp", "rewound"])
def test_forged_assertions_are_refused(world: World, forgery: str) -> None:
    from cryptography.hazmat.primitives.asymmetric import ec

    _enrol(world, _token(world))
    page, _ = _to_second_step(world)
    if forgery == "rewound":  # a first good login, then a copy of the key replays count 1
        assert _assert_with(world, page).status_code == 303  # type: ignore[attr-defined]
        world.http.cookies.clear()
        page, _ = _to_second_step(world)
    forge: dict[str, object] = {
        "other_key": {"key": ec.generate_private_key(ec.SECP256R1())},
        "wrong_origin": {"origin": "http://localhost.evil.example"},
        "wrong_rp": {"rp_id": "evil.example"},
        "rewound": {"count": 1},
    }[forgery]  # type: ignore[assignment]
    refused = _assert_with(world, page, **forge)
    assert "location" not in refused.headers  # type: ignore[attr-defined]
    if forgery == "rewound":  # a suspected clone: the key is suspended, no key is left
        assert refused.status_code == 403  # type: ignore[attr-defined]
        return
    assert refused.status_code == 401  # type: ignore[attr-defined]
    assert LO["invalid_key"] in refused.text  # type: ignore[attr-defined]


def test_an_assertion_is_not_accepted_twice(world: World) -> None:
    _enrol(world, _token(world))
    page, _ = _to_second_step(world)
    text = page.text  # type: ignore[attr-defined]
    options = html.unescape(_OPTIONS.search(text).group(1))  # type: ignore[union-attr]
    assertion = world.key.get(options)
    first = world.http.post("/idp/login/key", data={**form_fields(text), "credential": assertion},
                            follow_redirects=False)
    assert first.status_code == 303
    world.http.cookies.clear()
    page, _ = _to_second_step(world)
    replay = world.http.post(
        "/idp/login/key", data={**form_fields(page.text), "credential": assertion},  # type: ignore[attr-defined]
        follow_redirects=False,
    )
    assert replay.status_code == 401


def test_the_key_form_needs_the_csrf_token(world: World) -> None:
    _enrol(world, _token(world))
    page, _ = _to_second_step(world)
    text = page.text  # type: ignore[attr-defined]
    options = html.unescape(_OPTIONS.search(text).group(1))  # type: ignore[union-attr]
    fields = {**form_fields(text), "csrf": "forged-token-forged-token-forged"}
    refused = world.http.post("/idp/login/key", data={**fields, "credential": world.key.get(
        options)}, follow_redirects=False)
    assert refused.status_code == 400
    assert LO["interaction_expired"] in refused.text


def test_an_enrolment_token_registers_one_first_key_only(world: World) -> None:
    token = _token(world)
    assert _enrol(world, token).status_code == 200  # type: ignore[attr-defined]
    second_key = SoftwareAuthenticator(rp_id="localhost", origin=ORIGIN)
    again = _enrol(world, token, second_key)
    assert again.status_code == 400  # type: ignore[attr-defined]
    assert LO["invalid_token"] in again.text  # type: ignore[attr-defined]
    with transaction(world.runtime.sessions) as session:
        stored = session.execute(select(WebAuthnCredential.credential_id)).scalars().all()
    assert second_key.credential_id not in stored
    with transaction(world.runtime.sessions) as session, pytest.raises(EnrolmentTokenError):
        issue_enrolment_token(session, login=world.login, keys=world.keys, now=datetime.now(UTC))


def test_tampered_expired_and_foreign_tokens_are_refused(world: World) -> None:
    token = _token(world)
    account_id, expiry, mac = token.split(".")
    now = datetime.now(UTC)
    forged = [
        f"{int(account_id) + 1}.{expiry}.{mac}",
        f"{account_id}.{int(expiry) + 3600}.{mac}",
        f"{account_id}.{expiry}.{mac[:-2]}AA",
        "", "...", "x" * 500,
    ]
    with transaction(world.runtime.sessions) as session:
        for bad in forged:
            with pytest.raises(EnrolmentTokenError):
                check_enrolment_token(session, token=bad, keys=world.keys, now=now)
        with pytest.raises(EnrolmentTokenError):
            check_enrolment_token(session, token=token, keys=MfaKeys.generate(), now=now)
        with pytest.raises(EnrolmentTokenError):
            check_enrolment_token(session, token=token, keys=world.keys,
                                  now=now + timedelta(hours=25))
        assert check_enrolment_token(session, token=token, keys=world.keys, now=now).active
    refused = _enrol(world, forged[1])
    assert refused.status_code == 400  # type: ignore[attr-defined]
