"""``make prod-local``: the production shape on this machine, every component its own process.

Starts a throwaway PostgreSQL server (as the tests do), prepares the state dir
(``var/prod-local``, made afresh each run: PKI, migrations, transparency and consent keys,
gateway keys and the central directory, a few synthetic persons, the ministries'
subscriptions), then runs
``onedoor serve`` for idp, central, registries, pki, portal, one gateway per member and two
life-event workers, each on its own loopback port. Prints the URLs; Ctrl-C stops everything.

The web components are on separate origins here; the portal's sign-in expects them on one
origin (``ONEDOOR_BASE_URL`` with /idp, /portal, ...), which a reverse proxy gives in
production, so use ``make demo`` to click through sign-in.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WEB = ("idp", "central", "registries", "pki", "portal")
WORKERS = 2
PERSONS = 200


def main() -> None:
    from tests.support.ports import free_port
    from tests.support.postgres import start_postgres

    state = ROOT / "var" / "prod-local"
    shutil.rmtree(state, ignore_errors=True)  # a fresh state for the fresh database
    postgres = start_postgres()
    children: list[subprocess.Popen[bytes]] = []
    try:
        database_url = postgres.create_database("onedoor")
        web = {name: free_port() for name in WEB}
        gateways = prepare(state, database_url, web)
        env = {
            **os.environ,
            "ONEDOOR_STATE_DIR": str(state),
            "ONEDOOR_DATABASE_URL": database_url,
            "ONEDOOR_HOST": "127.0.0.1",
            "ONEDOOR_BASE_URL": f"http://127.0.0.1:{web['pki']}",
            "ONEDOOR_CENTRAL_URL": f"http://127.0.0.1:{web['central']}",
            "ONEDOOR_MEMBER_SYSTEM_URL": f"http://127.0.0.1:{web['registries']}",
        }
        onedoor = [sys.executable, "-c", "from onedoor.cli import main; main()"]
        for name, port in web.items():
            children.append(_spawn([*onedoor, "serve", name, "--port", str(port)], env))
        _wait_healthy(f"http://127.0.0.1:{web['central']}/health")  # gateways fetch from it
        _wait_healthy(f"http://127.0.0.1:{web['pki']}/health")  # and check peers' OCSP there
        for member, (client, peer) in gateways.items():
            children.append(_spawn([
                *onedoor, "serve", "gateway", "--member", member,
                "--client-port", str(client), "--peer-port", str(peer),
            ], env))
        for _ in range(WORKERS):
            children.append(_spawn([*onedoor, "serve", "worker"], env))
        print("\nOneDoor, production shape (one process per component, PostgreSQL):")
        print(f"  PostgreSQL  {database_url}")
        for name, port in web.items():
            note = "  (answers only its gateways)" if name == "registries" else ""
            print(f"  {name:<11} http://127.0.0.1:{port}/health{note}")
        for member, (client, peer) in gateways.items():
            print(f"  gateway {member:<14} http://127.0.0.1:{client}/r1/...  "
                  f"peer https://127.0.0.1:{peer}")
        print(f"  {WORKERS} life-event workers")
        print("Stop with Ctrl-C.\n", flush=True)
        while all(child.poll() is None for child in children):
            time.sleep(0.5)
        print("a component stopped; stopping the others", file=sys.stderr)
    except KeyboardInterrupt:
        pass
    finally:
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        for child in children:
            try:
                child.wait(timeout=15)
            except subprocess.TimeoutExpired:
                child.kill()
        postgres.stop()


def _wait_healthy(url: str, timeout: float = 120.0) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while True:
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            raise SystemExit(f"{url} did not become healthy")
        time.sleep(0.3)


def _spawn(command: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(command, env=env, cwd=ROOT, start_new_session=True)


def prepare(state: Path, database_url: str, web: dict[str, int]) -> dict[str, tuple[int, int]]:
    """Everything ``serve`` needs; returns member -> (client port, peer port)."""
    from exchange.topology import DEFAULT_MEMBERS, load_consent_keys, provision_exchange
    from exchange.transparency.keys import load_or_create_log_keys
    from onedoor.config import Settings
    from onedoor.db import open_database, transaction
    from onedoor.member_credentials import load_member_credential
    from onedoor.runtime import create_runtime
    from onedoor.setup import prepare_state
    from registries.reactions.subscribe import subscribe_ministries
    from registries.seed.service import seed_if_empty
    from tests.support.ports import free_port

    settings = Settings(
        state_dir=state, database_url=database_url,
        # Certificates name the OCSP responder and CRLs under the base URL; without a reverse
        # proxy the PKI's own port is the one every gateway must reach (they fail closed).
        base_url=f"http://127.0.0.1:{web['pki']}",
    )
    engine = open_database(database_url)
    try:
        runtime = create_runtime(settings, engine=engine)
        for line in prepare_state(runtime):
            print(f"  {line}")
        ports = {spec.member: (free_port(), free_port()) for spec in DEFAULT_MEMBERS}
        provision_exchange(
            runtime, now=datetime.now(UTC),
            gateway_urls={m: f"https://127.0.0.1:{peer}" for m, (_, peer) in ports.items()},
        )
        load_or_create_log_keys(settings)
        load_consent_keys(settings)
        load_member_credential(settings, "registries", create=True)
        print(f"  {seed_if_empty(runtime, persons=PERSONS)}")
        with transaction(runtime.sessions) as session:
            subscribe_ministries(session, now=datetime.now(UTC))
    finally:
        engine.dispose()
    return {str(member): pair for member, pair in ports.items()}


if __name__ == "__main__":
    main()
