"""Benchmark full exchange round trips against a bare FastAPI echo on the same HTTP stack.

A round trip: client -> consumer gateway (LA/GOV/MOLSW) -> provider gateway (LA/GOV/MOHA, mutual
TLS) -> civil registry -> back, with signing, end-to-end encryption, consent decision, XSD
validation and hash-chained logging at both gateways. Every part runs as its own process, as in
production: a hub (central server + registries), the two gateways, and ``wrk`` as the client.

    apt-get install -y wrk
    .venv/bin/python bench/exchange_roundtrip.py [--duration 10] [--connections 16] \
        [--database sqlite|postgresql]

``--database postgresql`` starts a throwaway PostgreSQL server (as the tests do; needs the
``postgresql`` Debian package), the production shape; the default is one SQLite file.

Goals (issue 4): >= 500 round trips/s on 2 cores, >= 40% of the echo's rate. Prints figures only.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PURPOSE = "child-allowance-eligibility"
CONSUMER = "LA/GOV/MOLSW/welfare"


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def run_hub(port: int) -> None:
    """Central server and registries on one port, mounted as in the demo."""
    import uvicorn
    from fastapi import FastAPI

    from exchange.central.app import create_app as central
    from onedoor.config import get_settings
    from onedoor.runtime import create_runtime
    from registries.app import create_app as registries

    runtime = create_runtime(get_settings())
    app = FastAPI()
    app.mount("/central", central(runtime))
    app.mount("/registries", registries(runtime))
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


def run_echo(port: int) -> None:
    """The baseline: the same stack (FastAPI on uvicorn) answering a small JSON record."""
    import uvicorn
    from fastapi import FastAPI

    app = FastAPI()

    @app.get("/echo/{value}")
    async def echo(value: str) -> dict[str, str]:
        return {"personId": value, "sex": "F", "birthDate": "1990-05-01"}

    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


def run_gateway(member: str, client_port: int, peer_port: int) -> None:
    import logging

    from exchange.topology import serve_gateway
    from onedoor.config import get_settings

    logging.basicConfig(level=logging.WARNING)
    serve_gateway(get_settings(), member=member, client_port=client_port, peer_port=peer_port)


def prepare(env: dict[str, str], base_port: int) -> tuple[str, str]:
    """Migrate, seed one person, provision the exchange and give consent; (person, consent)."""
    os.environ.update(env)
    from exchange.consent.service import give_consent
    from exchange.messages.clock import utc_now
    from exchange.topology import DEFAULT_MEMBERS, load_consent_keys, provision_exchange
    from onedoor.config import get_settings
    from onedoor.db import open_database, transaction
    from onedoor.migrate import upgrade
    from onedoor.runtime import create_runtime
    from registries.civil import service as civil
    from schemas.identifiers import PersonId

    settings = get_settings()
    engine = open_database(settings.database_url)
    upgrade(engine)
    runtime = create_runtime(settings, engine=engine)
    urls = {s.member: f"https://127.0.0.1:{base_port + i}" for i, s in enumerate(DEFAULT_MEMBERS)}
    provision_exchange(runtime, gateway_urls=urls, now=utc_now())
    person = PersonId.issue(province=1, serial=4242).value
    with transaction(runtime.sessions) as session:
        civil.add_person(session, person={
            "personId": person, "sex": "F", "birthDate": "1990-05-01", "birthDistrict": "0101",
            "nationality": "LAO",
            "name": {"familyName": "ພົມມະວົງ", "givenName": "ມະນີ",
                     "familyNameRoman": "Phommavong", "givenNameRoman": "Many"},
        })
        consent = give_consent(
            session, subject=person, consumer="LA/GOV/MOLSW", providers=["LA/GOV/MOHA"],
            data_items=["civil.person.birth_date", "civil.person.name", "civil.person.sex"],
            purpose=PURPOSE, not_after=utc_now() + timedelta(days=1), now=utc_now(),
            keys=load_consent_keys(settings),
        ).id
    engine.dispose()
    return person, consent


def spawn(mode: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    handle = log.open("wb")
    return subprocess.Popen(
        [sys.executable, __file__, *mode], env={**os.environ, **env}, cwd=ROOT,
        stdout=handle, stderr=subprocess.STDOUT,
    )


def wait(url: str, headers: dict[str, str] | None = None, timeout: float = 60) -> httpx.Response:
    deadline = time.monotonic() + timeout
    while True:
        try:
            return httpx.get(url, headers=headers, timeout=5)
        except httpx.TransportError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def wrk(url: str, headers: dict[str, str], *, duration: int, connections: int) -> dict[str, float]:
    command = ["wrk", f"-t{min(2, connections)}", f"-c{connections}", f"-d{duration}s", "--latency"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run(
        [*command, url], check=True, capture_output=True, text=True
    ).stdout
    figures = {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))}  # type: ignore[union-attr]
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}
    for percentile in ("50", "99"):
        found = re.search(rf"\s{percentile}%\s+([\d.]+)(us|ms|s)", output)
        assert found is not None, output
        figures[f"p{percentile}"] = float(found.group(1)) * scale[found.group(2)]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    figures["errors"] = float(errors.group(1)) if errors else 0.0
    return figures


def machine() -> str:
    """``nproc`` and the CPU model, for the figures to be read against."""
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{len(os.sched_getaffinity(0))} cores usable ({os.cpu_count()} online), {model}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: apt-get install -y wrk")
    folder = Path(tempfile.mkdtemp(prefix="onedoor-bench-"))
    postgres = None
    database_url = f"sqlite:///{folder / 'onedoor.db'}"
    if args.database == "postgresql":
        from tests.support.postgres import start_postgres

        postgres = start_postgres()
        database_url = postgres.create_database("bench")
    try:
        run(args, folder, database_url)
    finally:
        if postgres is not None:
            postgres.stop()


def run(args: argparse.Namespace, folder: Path, database_url: str) -> None:
    hub, echo, base = free_port(), free_port(), free_port()
    client_port = free_port()
    env = {
        "ONEDOOR_STATE_DIR": str(folder / "var"),
        "ONEDOOR_DATABASE_URL": database_url,
        "ONEDOOR_KEY_PASSPHRASE": "bench passphrase",
        "ONEDOOR_BASE_URL": f"http://127.0.0.1:{hub}",
        "ONEDOOR_LOG_LEVEL": "WARNING",
    }
    person, consent = prepare(env, base)
    processes = [
        spawn(["--hub", str(hub)], env, folder / "hub.log"),
        spawn(["--echo", str(echo)], env, folder / "echo.log"),
    ]
    try:
        wait(f"http://127.0.0.1:{hub}/central/health")
        processes.append(spawn(["--gateway", "LA/GOV/MOHA", str(free_port()), str(base)], env,
                               folder / "moha.log"))
        processes.append(spawn(["--gateway", "LA/GOV/MOLSW", str(client_port), str(base + 1)],
                               env, folder / "molsw.log"))
        headers = {"X-Road-Client": CONSUMER, "X-OneDoor-Subject": person,
                   "X-OneDoor-Purpose": PURPOSE, "X-OneDoor-Consent": consent}
        url = f"http://127.0.0.1:{client_port}/r1/LA/GOV/MOHA/civil/person/{person}"
        time.sleep(1.0)
        first = wait(url, headers)
        if first.status_code != 200:
            sys.exit(f"round trip failed: {first.status_code} {first.text}")
        wait(f"http://127.0.0.1:{echo}/echo/{person}")
        with httpx.Client(headers=headers) as client:
            started = time.perf_counter()
            for _ in range(20):
                client.get(url).raise_for_status()
            sequential = (time.perf_counter() - started) / 20 * 1000
        exchange = wrk(url, headers, duration=args.duration, connections=args.connections)
        bare = wrk(f"http://127.0.0.1:{echo}/echo/{person}", {}, duration=args.duration,
                   connections=args.connections)
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=15)
    print(f"machine: {machine()}")
    print(f"database: {args.database}, connections: {args.connections}, {args.duration} s each")
    print(f"exchange round trips: {exchange['rps']:8.1f} /s  p50 {exchange['p50']:.2f} ms  "
          f"p99 {exchange['p99']:.2f} ms  non-2xx {int(exchange['errors'])}")
    print(f"bare FastAPI echo:    {bare['rps']:8.1f} /s  p50 {bare['p50']:.2f} ms  "
          f"p99 {bare['p99']:.2f} ms")
    print(f"one round trip at a time: {sequential:.1f} ms")
    print(f"ratio exchange/echo:  {exchange['rps'] / bare['rps']:.1%}")
    print(f"latency added by the gateways: p50 {exchange['p50'] - bare['p50']:.2f} ms, "
          f"p99 {exchange['p99'] - bare['p99']:.2f} ms")
    if not exchange["errors"]:
        shutil.rmtree(folder, ignore_errors=True)
    else:
        print(f"logs kept in {folder}")


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--hub":
        run_hub(int(sys.argv[2]))
    elif len(sys.argv) > 2 and sys.argv[1] == "--echo":
        run_echo(int(sys.argv[2]))
    elif len(sys.argv) > 4 and sys.argv[1] == "--gateway":
        run_gateway(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    else:
        main()
