"""State, servers and measuring helpers for ``bench/idp_client_credentials.py``.

Standalone (only ``tests.support.postgres`` for the throwaway PostgreSQL server): prepares a
production-mode state dir, registers the benchmark clients and accounts, signs client
assertions, and measures a server's CPU time from ``/proc``.
"""

from __future__ import annotations

import base64
import json
import os
import re
import secrets
import socket
import subprocess
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
SCOPE = "registry.read registry.write"
PASSWORD = "river boat at dawn under the moon"
REDIRECT = "https://rp.example/cb"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait(url: str, timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            httpx.get(url, timeout=2.0)
            return
        except httpx.TransportError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


@dataclass(frozen=True)
class ClientKey:
    """A ministry system's ES256 key: private half here, public JWK registered at the IdP."""

    private: ec.EllipticCurvePrivateKey
    kid: str

    @classmethod
    def generate(cls) -> ClientKey:
        return cls(ec.generate_private_key(ec.SECP256R1()), secrets.token_urlsafe(8))

    def public_jwk(self) -> dict[str, str]:
        numbers = self.private.public_key().public_numbers()
        return {"kty": "EC", "crv": "P-256", "alg": "ES256", "use": "sig", "kid": self.kid,
                "x": _b64(numbers.x.to_bytes(32, "big")),
                "y": _b64(numbers.y.to_bytes(32, "big"))}

    def private_jwk(self) -> dict[str, str]:
        value = self.private.private_numbers().private_value
        return {**self.public_jwk(), "d": _b64(value.to_bytes(32, "big"))}

    def assertion(self, claims: dict[str, Any]) -> str:
        """A compact ES256 JWS (RFC 7515, raw r||s signature as RFC 7518 3.4 requires)."""
        header = _b64(json.dumps({"alg": "ES256", "kid": self.kid, "typ": "JWT"}).encode())
        payload = _b64(json.dumps(claims, separators=(",", ":")).encode())
        signing_input = f"{header}.{payload}".encode("ascii")
        r, s = decode_dss_signature(self.private.sign(signing_input, ec.ECDSA(hashes.SHA256())))
        return f"{header}.{payload}.{_b64(r.to_bytes(32, 'big') + s.to_bytes(32, 'big'))}"


def write_bodies(
    path: Path, *, key: ClientKey, client_id: str, audience: str, count: int, lifetime: int
) -> float:
    """``count`` token request bodies, each with a fresh jti; returns seconds spent signing."""
    started = time.perf_counter()
    now = int(time.time())
    with path.open("w") as handle:
        for _ in range(count):
            claims = {"iss": client_id, "sub": client_id, "aud": audience, "iat": now,
                      "exp": now + lifetime, "jti": secrets.token_urlsafe(18)}
            body = urlencode({"grant_type": "client_credentials", "scope": SCOPE,
                              "client_assertion_type": ASSERTION_TYPE,
                              "client_assertion": key.assertion(claims)})
            handle.write(body + "\n")
    return time.perf_counter() - started


def onedoor_env(folder: Path, database_url: str, port: int) -> dict[str, str]:
    return {
        "ONEDOOR_ENVIRONMENT": "production",
        "ONEDOOR_STATE_DIR": str(folder / "var"),
        "ONEDOOR_DATABASE_URL": database_url,
        "ONEDOOR_KEY_PASSPHRASE": "bench passphrase for the idp",
        "ONEDOOR_BASE_URL": f"http://127.0.0.1:{port}",
        "ONEDOOR_LOG_LEVEL": "WARNING",
    }


@dataclass(frozen=True)
class Prepared:
    ministry_id: str
    rp_id: str
    rp_secret: str
    accounts: list[tuple[str, str]]  # (login, TOTP secret)


def prepare_onedoor(env: dict[str, str], *, key: ClientKey, accounts: int) -> Prepared:
    """Migrate, create the MFA keys, register both clients and ``accounts`` citizens."""
    import pyotp

    from idp.accounts.hashing import DEFAULT_HASHER, Argon2Parameters, PasswordHasher
    from idp.accounts.levels import AssuranceLevel
    from idp.accounts.models import Account
    from idp.accounts.rights import AccountKind
    from idp.accounts.service import new_account
    from idp.mfa.keys import load_mfa_keys
    from idp.mfa.service import confirm_totp, enrol_totp
    from idp.oidc.clients import register_client
    from onedoor.config import Settings
    from onedoor.db import open_database, transaction
    from onedoor.migrate import upgrade
    from onedoor.runtime import create_runtime

    development = Settings(**{  # type: ignore[arg-type]
        name.removeprefix("ONEDOOR_").lower(): value for name, value in env.items()
        if name != "ONEDOOR_ENVIRONMENT"
    })
    keys = load_mfa_keys(development, create=True)  # production refuses to create it
    engine = open_database(development.database_url)
    upgrade(engine)
    runtime = create_runtime(development, engine=engine)
    cheap = PasswordHasher(Argon2Parameters(memory_kib=8, iterations=1, parallelism=1))
    production_hash = DEFAULT_HASHER.hash(PASSWORD)  # one real hash, shared by every account
    now = datetime.now(UTC)
    created: list[tuple[str, str]] = []
    with transaction(runtime.sessions) as session:
        ministry = register_client(
            session, name="Bench ministry", grant_types=["client_credentials"],
            auth_method="private_key_jwt", scopes=SCOPE.split(), now=int(now.timestamp()),
            jwks={"keys": [key.public_jwk()]},
        )
        rp = register_client(
            session, name="Bench portal", grant_types=["authorization_code"],
            auth_method="client_secret_basic", scopes=["openid"], redirect_uris=[REDIRECT],
            now=int(now.timestamp()),
        )
        for index in range(accounts):
            login = f"bench.citizen.{index:05d}"
            account = new_account(
                session, kind=AccountKind.CITIZEN, login=login, display_name="ສົມໃຈ",
                password=PASSWORD, assurance_level=AssuranceLevel.SUBSTANTIAL, now=now,
                person_id=f"LA{index:013d}", hasher=cheap,
            )
            enrolment = enrol_totp(session, account_id=account.id, keys=keys, now=now)
            totp = pyotp.TOTP(enrolment.secret)
            step = int(now.timestamp()) // totp.interval - 1
            confirm_totp(session, account_id=account.id,
                         authenticator_id=enrolment.authenticator_id,
                         code=totp.at(step * totp.interval), keys=keys, now=now)
            created.append((login, enrolment.secret))
        session.query(Account).update({Account.password_hash: production_hash})
    engine.dispose()
    return Prepared(ministry.client.client_id, rp.client.client_id, rp.secret or "", created)


def create_bench_app() -> Any:
    """uvicorn factory: the idp component as ``onedoor serve idp`` builds it, at /idp."""
    from fastapi import FastAPI

    from idp.app import create_app
    from onedoor.config import get_settings
    from onedoor.runtime import create_runtime

    outer = FastAPI()
    outer.mount("/idp", create_app(create_runtime(get_settings())))
    return outer


def serve_onedoor(port: int, workers: int) -> None:
    import uvicorn

    from onedoor.serving import uvicorn_options

    uvicorn.run("idp_bench_setup:create_bench_app", factory=True, host="127.0.0.1", port=port,
                workers=workers, lifespan="off", **uvicorn_options())


def process_tree(root: int) -> list[int]:
    """``root`` and every descendant, from /proc."""
    parents: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        parents.setdefault(ppid, []).append(int(entry))
    found, queue = [], [root]
    while queue:
        pid = queue.pop()
        found.append(pid)
        queue.extend(parents.get(pid, []))
    return found


def cpu_seconds(root: int) -> float:
    """User + system CPU seconds used so far by ``root``'s process tree."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in process_tree(root):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / ticks


def wrk(
    url: str, *, script: Path, script_args: list[str], duration: int, connections: int,
    threads: int,
) -> dict[str, float]:
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency",
               "-s", str(script), url, "--", *script_args]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    total = re.search(r"(\d+) requests in", output)
    assert rate is not None and total is not None, output
    figures = {"rps": float(rate.group(1)), "requests": float(total.group(1))}
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}
    for percentile in ("50", "99"):
        found = re.search(rf"\s{percentile}%\s+([\d.]+)(us|ms|s)", output)
        assert found is not None, output
        figures[f"p{percentile}"] = float(found.group(1)) * scale[found.group(2)]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    figures["errors"] = float(errors.group(1)) if errors else 0.0
    return figures
