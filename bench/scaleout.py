"""Benchmark the production shape scaled out: 1 vs 2 provider gateway replicas, 1 vs 2 workers.

Each configuration starts the shape of tests/scaleout (PostgreSQL, central, registries, the
LA/GOV/MOHA gateway replicas behind a round-robin TCP balancer, the LA/GOV/MOLSW gateway, the
event workers), each ``onedoor serve`` its own process, then:

- requests: ``wrk`` through the consumer gateway for ``--duration`` seconds (round trips/s);
- events: ``--births`` births committed at once, timed until every delivery (5 subscribers
  each) is done (events/s and deliveries/s).

    apt-get install -y wrk postgresql
    .venv/bin/python bench/scaleout.py [--duration 10] [--connections 16] [--births 200]

Prints figures only. On a 2-core machine every process shares the same two cores, so a second
replica adds concurrency, not CPU: read the figures with that in mind (docs/SCALING.md).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
import uuid
from pathlib import Path

from sqlalchemy import func, select

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.exchange_roundtrip import machine, wrk  # noqa: E402
from exchange.events.models import EventsDelivery  # noqa: E402
from exchange.events.sources import civil_record_registered  # noqa: E402
from onedoor.db import open_database, session_factory, transaction  # noqa: E402
from tests.exchange.events.publisher import birth_record  # noqa: E402
from tests.scaleout.shape import (  # noqa: E402
    COUPLES,
    request_headers,
    scratch_folder,
    start_shape,
)
from tests.support.postgres import start_postgres  # noqa: E402

SUBSCRIPTIONS_PER_BIRTH = 5


def measure(
    postgres_url: str, *, replicas: int, workers: int, args: argparse.Namespace
) -> dict[str, float]:
    with scratch_folder("onedoor-scaleout-") as folder:
        shape = start_shape(folder, postgres_url, provider_replicas=replicas, workers=workers)
        engine = open_database(postgres_url)
        sessions = session_factory(engine)
        try:
            person = shape.prepared.person
            url = f"http://127.0.0.1:{shape.consumer_port}/r1/LA/GOV/MOHA/civil/person/{person}"
            figures = wrk(url, request_headers(shape.prepared), duration=args.duration,
                          connections=args.connections)
            started = time.perf_counter()
            for start in range(0, args.births, 10):
                with transaction(sessions) as session:
                    for number in range(start, min(args.births, start + 10)):
                        civil_record_registered(
                            session, kind="birth", record=birth_record(number, COUPLES)
                        )
            expected = args.births * SUBSCRIPTIONS_PER_BIRTH
            while True:
                with transaction(sessions) as session:
                    done = session.scalar(
                        select(func.count()).where(EventsDelivery.state == "delivered")
                    )
                if done == expected:
                    break
                shape.processes.check_alive()
                time.sleep(0.2)
            seconds = time.perf_counter() - started
            figures["events_per_s"] = args.births / seconds
            figures["deliveries_per_s"] = expected / seconds
            return figures
        finally:
            engine.dispose()
            shape.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--births", type=int, default=200)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: apt-get install -y wrk")
    postgres = start_postgres()
    results: list[tuple[int, int, dict[str, float]]] = []
    try:
        for replicas, workers in ((1, 1), (2, 2)):
            url = postgres.create_database(f"scaleout_{uuid.uuid4().hex[:8]}")
            results.append((replicas, workers, measure(url, replicas=replicas, workers=workers,
                                                       args=args)))
    finally:
        postgres.stop()
    print(f"machine: {machine()}")
    print(f"PostgreSQL, wrk {args.connections} connections {args.duration} s, "
          f"{args.births} births x {SUBSCRIPTIONS_PER_BIRTH} subscribers")
    for replicas, workers, f in results:
        print(f"gateways {replicas}, workers {workers}: {f['rps']:7.1f} round trips/s "
              f"(p50 {f['p50']:.0f} ms, p99 {f['p99']:.0f} ms, non-2xx {int(f['errors'])}); "
              f"{f['events_per_s']:6.1f} events/s = {f['deliveries_per_s']:6.1f} deliveries/s")


if __name__ == "__main__":
    main()
