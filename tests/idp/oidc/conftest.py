"""Fixtures for the OpenID provider: a fake authenticator, a settable clock, clients, flows."""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
import threading
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import uvicorn
from fastapi import FastAPI
from joserfc.jwk import ECKey
from sqlalchemy import Engine
from sqlalchemy.orm import Session
from starlette.testclient import TestClient

from idp.app import create_app
from idp.oidc import acr
from idp.oidc.authenticator import AuthenticationFailedError, AuthResult, SecondFactorOptions
from idp.oidc.clients import RegisteredClient, register_client
from idp.oidc.provider import Provider
from onedoor.config import Settings
from onedoor.db import open_database, transaction
from onedoor.migrate import upgrade
from onedoor.runtime import Runtime, create_runtime
from tests.support.ports import free_port, wait_for_http

PASSWORD = "correct horse battery staple"
TOTP = "123456"
REDIRECT = "https://rp.example/callback"
POST_LOGOUT = "https://rp.example/bye"


class FakeClock:
    def __init__(self) -> None:
        self.current = datetime.now(UTC).replace(microsecond=0)

    def __call__(self) -> datetime:
        return self.current

    def advance(self, seconds: float) -> None:
        self.current += timedelta(seconds=seconds)


@dataclass
class FakeAuthenticator:
    """Accounts ``alice`` and ``bob``; password gives eIDAS low, TOTP 123456 substantial."""

    clock: FakeClock
    calls: list[str] = field(default_factory=list)

    def authenticate_password(
        self, session: Session, *, login: str, password: str, source: str
    ) -> AuthResult:
        self.calls.append(f"password:{login}")
        if login not in ("alice", "bob") or password != PASSWORD:
            raise AuthenticationFailedError("invalid_credentials")
        return AuthResult(f"sub-{login}", acr.LOW, ("pwd",), self.clock())

    def verify_second_factor(
        self, session: Session, *, account: str, code: str, source: str
    ) -> AuthResult:
        self.calls.append(f"otp:{account}")
        if code != TOTP:
            raise AuthenticationFailedError("invalid_code")
        return AuthResult(account, acr.SUBSTANTIAL, ("otp", "mfa"), self.clock())

    def second_factor_options(
        self, session: Session, *, account: str, relying_party: Any
    ) -> SecondFactorOptions:
        return SecondFactorOptions(factors=frozenset({"code"}))

    def verify_security_key(
        self, session: Session, *, account: str, assertion: str, relying_party: Any,
        source: str,
    ) -> AuthResult:
        raise AuthenticationFailedError("invalid_code")

    def claims_for(
        self, session: Session, *, subject: str, scopes: Sequence[str]
    ) -> Mapping[str, Any]:
        return {"name": f"Name of {subject}"} if "profile" in scopes else {}


def pkce_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode()).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def query_of(url: str) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}


def form_fields(html: str) -> dict[str, str]:
    return dict(re.findall(r'name="(ix|csrf)" value="([^"]*)"', html))


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def authenticator(clock: FakeClock) -> FakeAuthenticator:
    return FakeAuthenticator(clock)


@dataclass
class Idp:
    """An idp app mounted at /idp behind a TestClient, with helpers for flows."""

    http: TestClient
    provider: Provider
    runtime: Runtime
    clock: FakeClock
    authenticator: FakeAuthenticator

    @property
    def issuer(self) -> str:
        return self.provider.issuer

    def register(self, **metadata: Any) -> RegisteredClient:
        values: dict[str, Any] = {
            "name": "Test RP",
            "grant_types": ["authorization_code", "refresh_token"],
            "auth_method": "client_secret_basic",
            "scopes": ["openid", "profile", "offline_access"],
            "redirect_uris": [REDIRECT],
            "post_logout_redirect_uris": [POST_LOGOUT],
        }
        values.update(metadata)
        with transaction(self.runtime.sessions) as session:
            return register_client(session, now=self.provider.now(), **values)

    def authorize(self, client_id: str, **params: str) -> Any:
        query = {
            "response_type": "code",
            "client_id": client_id,
            "redirect_uri": REDIRECT,
            "scope": "openid profile",
            "state": "st-1",
            "nonce": "n-1",
            "code_challenge_method": "S256",
        }
        query.update(params)
        return self.http.get("/idp/authorize", params=query, follow_redirects=False)

    def submit(self, path: str, page_html: str, **fields: str) -> Any:
        data = {**form_fields(page_html), **fields}
        return self.http.post(f"/idp{path}", data=data, follow_redirects=False)

    def login(
        self, client_id: str, *, user: str = "alice", code: str | None = None, **params: str
    ) -> tuple[str, str]:
        """Run the browser flow to the redirect; returns (code, verifier)."""
        verifier, challenge = pkce_pair()
        response = self.authorize(client_id, code_challenge=challenge, **params)
        location = response.headers["location"]
        if "/idp/login" in location and "/login/code" not in location:
            page_html = self.http.get(location).text
            response = self.submit("/login", page_html, login=user, password=PASSWORD)
            location = response.headers["location"]
        if "/login/code" in location:
            page_html = self.http.get(location).text
            response = self.submit("/login/code", page_html, code=code or TOTP)
            location = response.headers["location"]
        assert location.startswith(REDIRECT), location
        return query_of(location)["code"], verifier

    def token(self, client: RegisteredClient, **form: str) -> Any:
        return self.http.post(
            "/idp/token", data=form, auth=(client.client.client_id, client.secret or "")
        )


@pytest.fixture
def idp(
    migrated_engine: Engine, tmp_path: Path, clock: FakeClock, authenticator: FakeAuthenticator
) -> Iterator[Idp]:
    settings = Settings(
        state_dir=tmp_path / "var",
        key_passphrase="test passphrase",
        base_url="http://testserver",
    )
    runtime = create_runtime(settings, engine=migrated_engine)
    app = create_app(runtime, authenticator=authenticator, clock=clock)
    outer = FastAPI()
    outer.mount("/idp", app)
    with TestClient(outer) as http:
        yield Idp(http, app.state.oidc_provider, runtime, clock, authenticator)


def ec_jwk() -> tuple[dict[str, Any], dict[str, Any]]:
    """A client key pair: (private JWK, public JWK Set)."""
    key = ECKey.generate_key("P-256", {"alg": "ES256", "use": "sig"}, auto_kid=True)
    return dict(key.as_dict(private=True)), {"keys": [dict(key.as_dict(private=False))]}


@dataclass
class LiveIdp:
    issuer: str
    runtime: Runtime
    clock: FakeClock

    def register(self, **metadata: Any) -> RegisteredClient:
        with transaction(self.runtime.sessions) as session:
            return register_client(
                session, now=int(self.clock().timestamp()), name="Live RP", **metadata
            )


@pytest.fixture(scope="module")
def live_idp(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveIdp]:
    """A real uvicorn server on a loopback port (SQLite file), serving the idp at /idp."""
    folder = tmp_path_factory.mktemp("live")
    port = free_port()
    settings = Settings(
        state_dir=folder / "var",
        key_passphrase="live passphrase",
        base_url=f"http://127.0.0.1:{port}",
        database_url=f"sqlite:///{folder / 'idp.db'}",
    )
    engine = open_database(settings.database_url)
    upgrade(engine)
    runtime = create_runtime(settings, engine=engine)
    clock = FakeClock()
    clock.current = datetime.now(UTC)
    real_clock = RealClock()
    app = create_app(runtime, authenticator=FakeAuthenticator(real_clock), clock=real_clock)
    outer = FastAPI()
    outer.mount("/idp", app)
    config = uvicorn.Config(
        outer,
        host="127.0.0.1",
        port=port,
        log_config=None,
        lifespan="off",
        ws="none",
        access_log=False,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    wait_for_http(f"{settings.url_for('idp')}/.well-known/openid-configuration")
    yield LiveIdp(settings.url_for("idp"), runtime, real_clock)
    server.should_exit = True
    thread.join(timeout=10)
    engine.dispose()


class RealClock(FakeClock):
    def __call__(self) -> datetime:
        return datetime.now(UTC)
