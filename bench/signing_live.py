"""A OneDoor deployment (pki + idp + signing) on a loopback port, for the signing benchmark.

Standalone (nothing from tests/): a fresh state dir and SQLite database, citizens enrolled with
TOTP, an access token and a signing credential. Used by ``bench/signing.py``.
"""

from __future__ import annotations

import socket
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pyotp
import uvicorn
from fastapi import FastAPI

from idp.accounts.hashing import Argon2Parameters, PasswordHasher
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
from keys.app import create_app as create_pki_app
from keys.bootstrap import ensure_pki
from keys.pki import Pki, load_pki
from keys.registry import record_pki_certificates
from onedoor.config import Settings
from onedoor.db import open_database, transaction
from onedoor.migrate import upgrade
from onedoor.runtime import Runtime, create_runtime

# Citizens' passwords are never checked here; a cheap hash keeps the setup short.
_CHEAP = PasswordHasher(Argon2Parameters(memory_kib=8, iterations=1, parallelism=1))


@dataclass
class BenchCitizen:
    """A citizen with an access token, a TOTP seed and an enrolled signing credential."""

    token: str
    totp: pyotp.TOTP
    step: int
    credential_id: str = ""
    credential: dict[str, Any] = field(default_factory=dict)

    def code(self) -> str:
        """A code of a step never used before and not older than the current one."""
        now_step = int(time.time()) // self.totp.interval
        self.step = max(self.step + 1, now_step)
        return str(self.totp.at(self.step * self.totp.interval))


@dataclass
class Deployment:
    base_url: str
    runtime: Runtime
    pki: Pki
    provider: Provider
    mfa_keys: MfaKeys
    client_id: str

    @property
    def idp_url(self) -> str:
        return f"{self.base_url}/idp"

    def citizen(self) -> BenchCitizen:
        now = datetime.now(UTC)
        suffix = uuid.uuid4().hex[:10]
        with transaction(self.runtime.sessions) as session:
            account = new_account(
                session, kind=AccountKind.CITIZEN, login=f"bench-{suffix}",
                display_name="ສົມໃຈ ພົມມະວົງ", password="river boat at dawn",
                assurance_level=AssuranceLevel.SUBSTANTIAL, now=now,
                person_id=f"LA{int(suffix, 16) % 10**13:013d}", hasher=_CHEAP,
            )
            enrolment = enrol_totp(session, account_id=account.id, keys=self.mfa_keys, now=now)
            totp = pyotp.TOTP(enrolment.secret)
            step = int(now.timestamp()) // totp.interval - 1
            confirm_totp(session, account_id=account.id,
                         authenticator_id=enrolment.authenticator_id,
                         code=totp.at(step * totp.interval), keys=self.mfa_keys, now=now)
            client = session.get(Client, self.client_id)
            assert client is not None
            grant = new_grant(session, client=client, subject=account.subject, scope="openid",
                              now=self.provider.now())
            token = issue_tokens(session, self.provider, grant=grant, client=client,
                                 scope="openid").access_token
        citizen = BenchCitizen(token, totp, step)
        response = httpx.post(f"{self.idp_url}/signing/credentials", json={},
                              headers={"Authorization": f"Bearer {token}"}, timeout=30)
        response.raise_for_status()
        citizen.credential = response.json()
        citizen.credential_id = citizen.credential["credentialID"]
        return citizen


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _wait(url: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            httpx.get(url, timeout=2.0)
            return
        except httpx.TransportError:
            time.sleep(0.1)
    raise TimeoutError(f"{url} did not answer")


@contextmanager
def deployment(folder: Path) -> Iterator[Deployment]:
    """pki + idp + signing on 127.0.0.1; stopped when the block ends."""
    port = _free_port()
    settings = Settings(
        state_dir=folder / "var", key_passphrase="bench passphrase",
        base_url=f"http://127.0.0.1:{port}", database_url=f"sqlite:///{folder / 'od.db'}",
    )
    ensure_pki(settings)
    engine = open_database(settings.database_url)
    upgrade(engine)
    runtime = create_runtime(settings, engine=engine)
    pki = load_pki(settings)
    with transaction(runtime.sessions) as session:
        record_pki_certificates(session=session, pki=pki)
    idp_app = create_idp_app(runtime)
    install_signing(idp_app, runtime)
    outer = FastAPI()
    outer.mount("/pki", create_pki_app(runtime))
    outer.mount("/idp", idp_app)
    server = uvicorn.Server(uvicorn.Config(
        outer, host="127.0.0.1", port=port, log_config=None, lifespan="off", ws="none",
        access_log=False,
    ))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        _wait(f"{settings.base_url}/pki/health")
        provider: Provider = idp_app.state.oidc_provider
        with transaction(runtime.sessions) as session:
            client = register_client(
                session, name="Bench centre app", grant_types=["authorization_code"],
                auth_method="client_secret_basic", scopes=["openid"],
                redirect_uris=["https://rp.example/cb"], now=provider.now(),
            )
        yield Deployment(settings.base_url, runtime, pki, provider, load_mfa_keys(settings),
                         client.client.client_id)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        engine.dispose()
