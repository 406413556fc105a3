"""The production shape as separate processes, for the scale-out test and bench/scaleout.py.

Everything is started with ``onedoor serve COMPONENT`` against one PostgreSQL database and one
state directory, prepared here as the compose ``setup`` service prepares it (migrations, PKI,
gateway keys, directory). A member's gateway replicas share its identity and state dir and
sit behind :class:`RoundRobinProxy`, an L4 (TCP) balancer like the one in front of them in
production: mutual TLS passes through it end to end.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import httpx

from onedoor.config import Settings

ROOT = Path(__file__).resolve().parents[2]
PASSPHRASE = "scale-out passphrase"
PURPOSE = "child-allowance-eligibility"
CONSUMER = "LA/GOV/MOLSW/welfare"
PROVIDER = "LA/GOV/MOHA"
PERSON_SERIAL = 4242
COUPLES = 5


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def onedoor_command(*args: str) -> list[str]:
    """``onedoor serve ARGS`` with this interpreter, without importing every other command
    group (seven processes start faster on two cores)."""
    assert args[0] == "serve"
    entry = "import typer; from onedoor.cli_serve import serve; typer.run(serve)"
    return [sys.executable, "-c", entry, *args[1:]]


@dataclass(frozen=True)
class Prepared:
    settings: Settings
    person: str
    consent: str
    env: dict[str, str]


def prepare(
    *, state_dir: Path, database_url: str, gateway_urls: dict[str, str], base_url: str
) -> Prepared:
    """Migrate, create every key, provision the exchange (``gateway_urls``: member -> https
    URL), seed one consenting person, couples for births, and the ministries' subscriptions.
    Processes then run with ``environment=production``: nothing is created on first use."""
    from datetime import UTC, datetime

    from exchange.consent.service import give_consent
    from exchange.topology import load_consent_keys, provision_exchange
    from exchange.transparency.keys import load_or_create_log_keys
    from exchange.xroad.identifiers import parse_member_id
    from onedoor.db import open_database, transaction
    from onedoor.member_credentials import load_member_credential
    from onedoor.migrate import upgrade
    from onedoor.runtime import create_runtime
    from registries.civil import service as civil
    from registries.reactions.subscribe import subscribe_ministries
    from schemas.identifiers import PersonId
    from tests.exchange.events.world import couple

    settings = Settings(
        state_dir=state_dir, database_url=database_url, key_passphrase=PASSPHRASE,
        log_level="WARNING", base_url=base_url,
    )
    engine = open_database(database_url)
    try:
        upgrade(engine)
        runtime = create_runtime(settings, engine=engine)
        now = datetime.now(UTC)
        provision_exchange(
            runtime, now=now,
            gateway_urls={parse_member_id(m): url for m, url in gateway_urls.items()},
        )
        load_or_create_log_keys(settings)
        load_member_credential(settings, "registries", create=True)
        keys = load_consent_keys(settings)
        person = PersonId.issue(province=1, serial=PERSON_SERIAL).value
        with transaction(runtime.sessions) as session:
            civil.add_person(session, person={
                "personId": person, "sex": "F", "birthDate": "1990-05-01",
                "birthDistrict": "0101", "nationality": "LAO",
                "name": {"familyName": "ພົມມະວົງ", "givenName": "ມະນີ",
                         "familyNameRoman": "Phommavong", "givenNameRoman": "Many"},
            })
            consent = give_consent(
                session, subject=person, consumer="LA/GOV/MOLSW", providers=[PROVIDER],
                data_items=["civil.person.birth_date", "civil.person.name", "civil.person.sex"],
                purpose=PURPOSE, not_after=now + timedelta(days=1), now=now, keys=keys,
            ).id
            for number in range(COUPLES):
                couple(session, number)
            subscribe_ministries(session, now=now)
    finally:
        engine.dispose()
    env = {
        "ONEDOOR_ENVIRONMENT": "production",
        "ONEDOOR_STATE_DIR": str(state_dir),
        "ONEDOOR_DATABASE_URL": database_url,
        "ONEDOOR_KEY_PASSPHRASE": PASSPHRASE,
        "ONEDOOR_LOG_LEVEL": "WARNING",
        "ONEDOOR_HOST": "127.0.0.1",
        "ONEDOOR_BASE_URL": base_url,
    }
    return Prepared(settings=settings, person=person, consent=str(consent), env=env)


@dataclass
class Processes:
    """Child processes of one shape; :meth:`stop` ends them (SIGTERM, then SIGKILL)."""

    env: dict[str, str]
    logs: Path
    running: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    def spawn(self, name: str, *args: str) -> subprocess.Popen[bytes]:
        handle = (self.logs / f"{name}.log").open("wb")
        process = subprocess.Popen(
            onedoor_command(*args), env={**os.environ, **self.env}, cwd=ROOT,
            stdout=handle, stderr=subprocess.STDOUT,
        )
        handle.close()
        self.running[name] = process
        return process

    def log_of(self, name: str) -> str:
        path = self.logs / f"{name}.log"
        return path.read_text(errors="replace")[-2000:] if path.exists() else ""

    def check_alive(self) -> None:
        for name, process in self.running.items():
            if process.poll() is not None:
                raise RuntimeError(f"{name} exited ({process.returncode}): {self.log_of(name)}")

    def stop(self) -> None:
        for process in self.running.values():
            if process.poll() is None:
                process.terminate()
        for process in self.running.values():
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)
        self.running.clear()


def wait_for(url: str, processes: Processes, *, timeout: float = 60.0) -> None:
    """Until ``url`` answers at all (any status), or raise naming a child that died."""
    deadline = time.monotonic() + timeout
    while True:
        processes.check_alive()
        try:
            httpx.get(url, timeout=2)
            return
        except httpx.TransportError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


class RoundRobinProxy:
    """A TCP balancer on loopback: each new connection goes to the next of ``ports``."""

    def __init__(self, ports: Sequence[int], *, port: int | None = None) -> None:
        self.port = port or free_port()
        self.connections = dict.fromkeys(ports, 0)
        self._next = itertools.cycle(ports)
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True, name="rr-proxy")
        self._server: asyncio.Server | None = None

    def start(self) -> RoundRobinProxy:
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("proxy did not start")
        return self

    def stop(self) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._server = self._loop.run_until_complete(
            asyncio.start_server(self._handle, "127.0.0.1", self.port)
        )
        self._ready.set()
        try:
            self._loop.run_forever()
        finally:
            self._server.close()
            self._loop.close()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        target = next(self._next)
        self.connections[target] += 1
        try:
            up_reader, up_writer = await asyncio.open_connection("127.0.0.1", target)
        except OSError:
            writer.close()
            return
        await asyncio.gather(_pipe(reader, up_writer), _pipe(up_reader, writer))


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except (ConnectionError, OSError):
        pass
    finally:
        with contextlib.suppress(ConnectionError, OSError, RuntimeError):
            writer.close()


@contextlib.contextmanager
def scratch_folder(prefix: str) -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        yield folder
    finally:
        import shutil

        shutil.rmtree(folder, ignore_errors=True)


@dataclass
class RunningShape:
    """Ports and handles of a started shape; :meth:`stop` ends every process."""

    prepared: Prepared
    processes: Processes
    proxy: RoundRobinProxy
    central_port: int
    registries_port: int
    consumer_port: int
    replica_client_ports: tuple[int, ...]
    replica_peer_ports: tuple[int, ...]

    def stop(self) -> None:
        self.processes.stop()
        self.proxy.stop()


def start_shape(
    folder: Path, database_url: str, *, provider_replicas: int = 2, workers: int = 2
) -> RunningShape:
    """Prepare the state, then start central, registries, ``provider_replicas`` gateways of
    LA/GOV/MOHA behind a round-robin proxy, the LA/GOV/MOLSW gateway and ``workers``."""
    from exchange.topology.members import DEFAULT_MEMBERS

    peer = {spec.code: free_port() for spec in DEFAULT_MEMBERS}
    proxy_port = free_port()
    urls = {str(spec.member): f"https://127.0.0.1:{peer[spec.code]}" for spec in DEFAULT_MEMBERS}
    urls[PROVIDER] = f"https://127.0.0.1:{proxy_port}"  # the replicas share one address
    # The PKI answers at the base URL: certificates name its OCSP responder there, and the
    # gateways check every peer certificate with it (fail closed).
    pki = free_port()
    prepared = prepare(
        state_dir=folder / "var", database_url=database_url, gateway_urls=urls,
        base_url=f"http://127.0.0.1:{pki}",
    )
    processes = Processes(env=prepared.env, logs=folder)
    replicas = tuple(free_port() for _ in range(provider_replicas))
    clients = tuple(free_port() for _ in range(provider_replicas))
    proxy = RoundRobinProxy(replicas, port=proxy_port).start()
    central, registries, consumer = free_port(), free_port(), free_port()
    exchange = (
        "--central-url", f"http://127.0.0.1:{central}",
        "--member-system-url", f"http://127.0.0.1:{registries}",
    )
    try:
        processes.spawn("pki", "serve", "pki", "--port", str(pki))
        processes.spawn("central", "serve", "central", "--port", str(central))
        processes.spawn("registries", "serve", "registries", "--port", str(registries))
        for index in range(workers):
            processes.spawn(f"worker-{index}", "serve", "worker", "--idle-seconds", "0.1")
        wait_for(f"http://127.0.0.1:{central}/health", processes)
        wait_for(f"http://127.0.0.1:{pki}/pki/health", processes)
        for index, (client_port, peer_port) in enumerate(zip(clients, replicas, strict=True)):
            processes.spawn(
                f"moha-{index}", "serve", "gateway", "--member", PROVIDER,
                "--client-port", str(client_port), "--peer-port", str(peer_port), *exchange,
            )
        processes.spawn(
            "molsw", "serve", "gateway", "--member", "LA/GOV/MOLSW",
            "--client-port", str(consumer), "--peer-port", str(peer["LA-GOV-MOLSW"]), *exchange,
        )
        for port in (registries, *clients, consumer):
            wait_for(f"http://127.0.0.1:{port}/metrics", processes)
    except BaseException:
        processes.stop()
        proxy.stop()
        raise
    return RunningShape(
        prepared=prepared, processes=processes, proxy=proxy, central_port=central,
        registries_port=registries, consumer_port=consumer, replica_client_ports=clients,
        replica_peer_ports=replicas,
    )


def request_headers(prepared: Prepared) -> dict[str, str]:
    """What a welfare officer's system sends with a person query (consent-backed)."""
    return {
        "X-Road-Client": CONSUMER, "X-OneDoor-Subject": prepared.person,
        "X-OneDoor-Purpose": PURPOSE, "X-OneDoor-Consent": prepared.consent,
    }
