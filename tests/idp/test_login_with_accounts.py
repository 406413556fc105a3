"""The OpenID provider with real accounts: password + TOTP, counters that survive HTTP failures."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyotp
import pytest
from fastapi import FastAPI
from joserfc import jwt
from joserfc.jwk import KeySet
from sqlalchemy import Engine
from starlette.testclient import TestClient

from idp.accounts.rights import AccountKind
from idp.accounts.service import create_centre, create_staff_account
from idp.app import create_app
from idp.mfa.keys import load_mfa_keys
from idp.mfa.service import confirm_totp, enrol_totp
from idp.oidc import acr
from idp.oidc.clients import RegisteredClient, register_client
from idp.oidc.strings import LO
from idp.proofing.assurance import EvidenceType
from idp.proofing.matching import ClaimedIdentity
from idp.proofing.registry import InMemoryCivilRegistry, PersonFacts
from idp.proofing.service import create_citizen_account
from onedoor.config import Settings
from onedoor.db import transaction
from onedoor.runtime import Runtime, create_runtime
from schemas.identifiers import PersonId
from tests.idp.accounts.support import CHEAP_HASHER, SOMCHAI, registry
from tests.idp.oidc.conftest import REDIRECT, form_fields, pkce_pair, query_of

PASSWORD = "river boat at dawn"


@dataclass
class World:
    http: TestClient
    runtime: Runtime
    client: RegisteredClient
    login: str
    totp: pyotp.TOTP


@pytest.fixture
def world(migrated_engine: Engine, tmp_path: Path) -> Iterator[World]:
    settings = Settings(
        state_dir=tmp_path / "var", key_passphrase="test passphrase", base_url="http://testserver"
    )
    runtime = create_runtime(settings, engine=migrated_engine)
    keys = load_mfa_keys(settings, create=True)
    now = datetime.now(UTC)
    suffix = uuid.uuid4().hex[:8]
    login = f"citizen-{suffix}"
    with transaction(runtime.sessions) as session:
        create_centre(
            session, code=f"C-{suffix}", name_lo="ສູນ", name_en="Centre", province="VTE", now=now
        )
        officer = create_staff_account(
            session, kind=AccountKind.OFFICER, login=f"officer-{suffix}", display_name="Officer",
            password=PASSWORD + " officer", now=now, centre_code=f"C-{suffix}",
            hasher=CHEAP_HASHER,
        )
        person_id = PersonId.issue(province=1, serial=int(suffix, 16) % 10**9).value
        person = replace(SOMCHAI, person_id=person_id)
        citizen = create_citizen_account(
            session, registry=_registry_with(person), officer_id=officer.id,
            claim=ClaimedIdentity(
                person_id=person.person_id, date_of_birth=person.date_of_birth,
                given_name_latin="Somchai", family_name_latin="Phommavong",
            ),
            evidence=[EvidenceType.NATIONAL_ID_CARD], password=PASSWORD, now=now, login=login,
            hasher=CHEAP_HASHER,
        )
        enrolment = enrol_totp(session, account_id=citizen.id, keys=keys, now=now)
        totp = pyotp.TOTP(enrolment.secret)
        confirm_totp(
            session, account_id=citizen.id, authenticator_id=enrolment.authenticator_id,
            code=totp.at(now - timedelta(seconds=totp.interval)), keys=keys, now=now,
        )
        client = register_client(
            session, name="Centre app", grant_types=["authorization_code"],
            auth_method="client_secret_basic", scopes=["openid", "profile", "onedoor"],
            redirect_uris=[REDIRECT], now=int(now.timestamp()),
        )
    outer = FastAPI()
    outer.mount("/idp", create_app(runtime))
    with TestClient(outer) as http:
        yield World(http, runtime, client, login, totp)


def _registry_with(person: PersonFacts) -> InMemoryCivilRegistry:
    directory = registry()
    directory.add(person)
    return directory


def _start(world: World) -> tuple[str, str]:
    verifier, challenge = pkce_pair()
    response = world.http.get("/idp/authorize", params={
        "response_type": "code", "client_id": world.client.client.client_id,
        "redirect_uri": REDIRECT, "scope": "openid profile onedoor", "state": "s", "nonce": "n",
        "code_challenge": challenge, "code_challenge_method": "S256",
    }, follow_redirects=False)
    return response.headers["location"], verifier


def _post(world: World, path: str, page: str, **fields: str) -> object:
    return world.http.post(
        f"/idp{path}", data={**form_fields(page), **fields}, follow_redirects=False
    )


def test_password_then_totp_gives_substantial_tokens(world: World) -> None:
    location, verifier = _start(world)
    page = world.http.get(location).text
    after_password = _post(world, "/login", page, login=world.login, password=PASSWORD)
    # No acr_values were asked for, yet a password alone never completes a login.
    assert "/login/code" in after_password.headers["location"]  # type: ignore[attr-defined]
    page = world.http.get(after_password.headers["location"]).text  # type: ignore[attr-defined]
    done = _post(world, "/login/code", page, code=world.totp.now())
    redirect = done.headers["location"]  # type: ignore[attr-defined]
    assert redirect.startswith(REDIRECT)
    tokens = world.http.post("/idp/token", data={
        "grant_type": "authorization_code", "code": query_of(redirect)["code"],
        "redirect_uri": REDIRECT, "code_verifier": verifier,
    }, auth=(world.client.client.client_id, world.client.secret or "")).json()
    jwks = KeySet.import_key_set(world.http.get("/idp/jwks").json())
    claims = jwt.decode(tokens["id_token"], jwks).claims
    assert claims["acr"] == acr.SUBSTANTIAL
    assert {"pwd", "otp", "mfa"} <= set(claims["amr"])
    info = world.http.get(
        "/idp/userinfo", headers={"Authorization": f"Bearer {tokens['access_token']}"}
    ).json()
    assert info["onedoor_account_kind"] == "citizen"
    assert info["preferred_username"] == world.login


def test_a_totp_code_is_accepted_once(world: World) -> None:
    code = world.totp.now()
    for attempt in range(2):
        world.http.cookies.clear()  # a second browser: no IdP session to fall back on
        location, _ = _start(world)
        page = world.http.get(location).text
        second = _post(world, "/login", page, login=world.login, password=PASSWORD)
        page = world.http.get(second.headers["location"]).text  # type: ignore[attr-defined]
        result = _post(world, "/login/code", page, code=code)
        if attempt == 0:
            assert result.status_code in (302, 303)  # type: ignore[attr-defined]
        else:
            assert result.status_code == 401  # type: ignore[attr-defined]


def test_failed_passwords_are_counted_across_requests(world: World) -> None:
    """Each failure is its own HTTP transaction; the counters must be committed anyway."""
    for _ in range(6):
        location, _ = _start(world)
        page = world.http.get(location).text
        refused = _post(world, "/login", page, login=world.login, password="wrong guess here")
        assert refused.status_code == 401  # type: ignore[attr-defined]
    location, _ = _start(world)
    page = world.http.get(location).text
    throttled = _post(world, "/login", page, login=world.login, password=PASSWORD)
    assert throttled.status_code == 401  # type: ignore[attr-defined]
    # No Accept-Language: the IdP speaks Lao by default.
    assert LO["locked"] in throttled.text  # type: ignore[attr-defined]
