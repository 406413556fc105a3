"""A live OneDoor on a loopback port (pki + idp + signing), citizens with TOTP and tokens."""

from __future__ import annotations

import asyncio
import secrets
import threading
import uuid
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import aiohttp
import httpx
import pyotp
import pytest
import uvicorn
from cryptography import x509
from fastapi import FastAPI
from sqlalchemy import Engine

from idp.accounts.levels import AssuranceLevel
from idp.accounts.rights import AccountKind
from idp.accounts.service import new_account
from idp.app import create_app as create_idp_app
from idp.mfa.keys import MfaKeys, load_mfa_keys
from idp.mfa.service import confirm_totp, enrol_totp
from idp.oidc.clients import register_client
from idp.oidc.models import Client
from idp.oidc.provider import Provider
from idp.oidc.tokens import issue_tokens, new_grant
from idp.signing.api import install_signing
from idp.signing.context import SigningContext
from idp.signing.csc_client import CscV2Signer, credential_info, open_signer
from idp.signing.ltv import LongTermSources, local_sources
from keys.app import create_app as create_pki_app
from keys.bootstrap import ensure_pki
from keys.pki import Pki, load_pki
from keys.registry import record_pki_certificates
from onedoor.config import Settings
from onedoor.db import open_database, transaction
from onedoor.migrate import upgrade
from onedoor.runtime import Runtime, create_runtime
from tests.idp.accounts.support import CHEAP_HASHER
from tests.support.ports import free_port, wait_for_http

T = TypeVar("T")


def run(coroutine: Any) -> Any:
    return asyncio.run(coroutine)


@dataclass
class Citizen:
    account_id: int
    subject: str
    token: str
    totp: pyotp.TOTP
    last_step: int
    credential_id: str = ""
    credential: dict[str, Any] = field(default_factory=dict)

    def code(self) -> str:
        """A code of a step never used before (steps must increase, RFC 6238 section 5.2)."""
        self.last_step += 1
        return str(self.totp.at(self.last_step * self.totp.interval))


@dataclass
class Live:
    base_url: str
    settings: Settings
    runtime: Runtime
    pki: Pki
    provider: Provider
    mfa_keys: MfaKeys
    client_id: str
    context: SigningContext
    sources: LongTermSources
    codes: list[str] = field(default_factory=list)

    @property
    def idp_url(self) -> str:
        return f"{self.base_url}/idp"

    @property
    def tsa_url(self) -> str:
        return f"{self.base_url}/pki/tsa"

    @property
    def root(self) -> x509.Certificate:
        return self.pki.root

    def citizen(self, *, level: AssuranceLevel = AssuranceLevel.SUBSTANTIAL,
                enrol: bool = True) -> Citizen:
        now = datetime.now(UTC)
        suffix = uuid.uuid4().hex[:10]
        with transaction(self.runtime.sessions) as session:
            account = new_account(
                session, kind=AccountKind.CITIZEN, login=f"citizen-{suffix}",
                display_name="ສົມໃຈ ພົມມະວົງ", password="river boat at dawn",
                assurance_level=level, now=now, person_id=f"LA{int(suffix, 16) % 10**13:013d}",
                hasher=CHEAP_HASHER,
            )
            enrolment = enrol_totp(session, account_id=account.id, keys=self.mfa_keys, now=now)
            totp = pyotp.TOTP(enrolment.secret)
            step = int(now.timestamp()) // totp.interval - 1
            confirm_totp(
                session, account_id=account.id, authenticator_id=enrolment.authenticator_id,
                code=totp.at(step * totp.interval), keys=self.mfa_keys, now=now,
            )
            client = session.get(Client, self.client_id)
            assert client is not None
            grant = new_grant(session, client=client, subject=account.subject,
                              scope="openid", now=self.provider.now())
            token = issue_tokens(session, self.provider, grant=grant, client=client,
                                 scope="openid").access_token
            citizen = Citizen(account.id, account.subject, token, totp, step)
        if enrol:
            response = self.post(citizen, "/signing/credentials", {})
            assert response.status_code == 200, response.text
            citizen.credential_id = response.json()["credentialID"]
            citizen.credential = response.json()
        return citizen

    def post(self, citizen: Citizen | None, path: str, body: dict[str, Any]) -> httpx.Response:
        headers = {"Authorization": f"Bearer {citizen.token}"} if citizen else {}
        return httpx.post(f"{self.idp_url}{path}", json=body, headers=headers, timeout=30)

    def signer(self, citizen: Citizen, http: aiohttp.ClientSession,
               otp: Callable[[], str] | None = None) -> Any:
        return open_signer(
            http, service_url=self.idp_url, access_token=citizen.token,
            credential_id=citizen.credential_id, otp=otp or citizen.code,
            on_verification_code=self.codes.append,
            credential=credential_info(citizen.credential) if citizen.credential else None,
        )

    def with_signer(self, citizen: Citizen, action: Callable[[CscV2Signer], Any],
                    otp: Callable[[], str] | None = None) -> Any:
        async def main() -> Any:
            async with aiohttp.ClientSession() as http:
                signer = await self.signer(citizen, http, otp)
                return await action(signer)

        return run(main())


@pytest.fixture(scope="session")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    yield from start_live(tmp_path_factory.mktemp("signing-live"))


def start_live(folder: Path) -> Generator[Live, None, None]:
    """pki + idp + signing on a loopback uvicorn; stops when the generator is closed."""
    port = free_port()
    settings = Settings(
        state_dir=folder / "var", key_passphrase="live passphrase",
        base_url=f"http://127.0.0.1:{port}", database_url=f"sqlite:///{folder / 'od.db'}",
    )
    ensure_pki(settings)
    engine: Engine = open_database(settings.database_url)
    upgrade(engine)
    runtime = create_runtime(settings, engine=engine)
    pki = load_pki(settings)
    with transaction(runtime.sessions) as session:
        record_pki_certificates(session=session, pki=pki)
    idp_app = create_idp_app(runtime)
    holder = install_signing(idp_app, runtime)
    outer = FastAPI()
    outer.mount("/pki", create_pki_app(runtime))
    outer.mount("/idp", idp_app)
    server = uvicorn.Server(uvicorn.Config(
        outer, host="127.0.0.1", port=port, log_config=None, lifespan="off", ws="none",
        access_log=False,
    ))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    wait_for_http(f"{settings.base_url}/pki/health")
    provider: Provider = idp_app.state.oidc_provider
    with transaction(runtime.sessions) as session:
        client = register_client(
            session, name="Centre app", grant_types=["authorization_code"],
            auth_method="client_secret_basic", scopes=["openid"],
            redirect_uris=["https://rp.example/cb"], now=provider.now(),
        )
    yield Live(
        base_url=settings.base_url, settings=settings, runtime=runtime, pki=pki,
        provider=provider, mfa_keys=load_mfa_keys(settings), client_id=client.client.client_id,
        context=holder.get(), sources=local_sources(sessions=runtime.sessions, pki=pki),
    )
    server.should_exit = True
    thread.join(timeout=10)
    engine.dispose()


def random_hash() -> bytes:
    return secrets.token_bytes(32)


def later(minutes: int) -> datetime:
    return datetime.now(UTC) + timedelta(minutes=minutes)


def workdir(tmp_path: Path) -> Path:
    return tmp_path
