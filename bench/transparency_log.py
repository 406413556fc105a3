"""Benchmark the transparency log: append rate, proof latency, per-citizen query latency.

Goals (issue "Consent, legal basis and a provable access log"): append >= 20,000 entries/s
in batches, inclusion proof < 1 ms, per-subject query < 20 ms, on a 10,000,000-entry log.

    .venv/bin/python bench/transparency_log.py                      # SQLite, 1,000,000 entries
    .venv/bin/python bench/transparency_log.py --entries 10000000
    .venv/bin/python bench/transparency_log.py --database-url postgresql+psycopg://...

    .venv/bin/python bench/transparency_log.py --start-postgres     # throwaway PostgreSQL

The database must be empty or new (a temporary SQLite file by default). Prints figures only.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event, text

from exchange.transparency.entry import AccessEvent
from exchange.transparency.log import append_entries, consistency_proof, inclusion_proof
from exchange.transparency.pseudonym import HmacPseudonymizer
from exchange.transparency.search import search
from exchange.transparency.store import read_head
from exchange.transparency.verify import verify_log
from onedoor.db import open_database, session_factory, transaction
from onedoor.migrate import upgrade

T0 = datetime(2026, 1, 1, tzinfo=UTC)
PURPOSES = ("child-allowance", "health-insurance", "school-enrolment", "tax-assessment")


def _events(start: int, count: int, subjects: int, rng: random.Random) -> list[AccessEvent]:
    return [
        AccessEvent(
            member=f"LA/GOV/MIN{rng.randrange(18)}/sub{rng.randrange(4)}",
            user_id=f"officer-{rng.randrange(2000)}",
            service="LA/GOV/CIVIL/registry/getPerson/v1",
            data_items=("name", "birth_date", "address"),
            purpose=PURPOSES[i % len(PURPOSES)],
            basis_kind="legal_basis" if i % 3 else "consent",
            basis_reference=f"basis-{i % 97}",
            outcome="allowed" if i % 50 else "refused",
            subject_id=f"{rng.randrange(subjects):011d}",
            message_id=f"msg-{i}",
            reason_code=None,
            time=T0 + timedelta(milliseconds=i),
        )
        for i in range(start, start + count)
    ]


def _timed(repeat: int, action: Callable[[], object]) -> list[float]:
    samples = []
    for _ in range(repeat):
        began = time.perf_counter()
        action()
        samples.append((time.perf_counter() - began) * 1000)
    return samples


def _report(name: str, samples: list[float], goal_ms: float) -> None:
    samples.sort()
    p50 = statistics.median(samples)
    p99 = samples[min(len(samples) - 1, int(len(samples) * 0.99))]
    verdict = "meets" if p50 < goal_ms else "MISSES"
    print(f"{name:<26} median {p50:7.3f} ms  p99 {p99:7.3f} ms  ({verdict} < {goal_ms} ms)")


def run(
    engine: Engine, *, entries: int, batch: int, subjects: int, queries: int, verify: bool
) -> None:
    factory = session_factory(engine)
    pseudonymizer = HmacPseudonymizer(b"bench pseudonym key, not secret!")
    rng = random.Random(6962)
    with transaction(factory) as session:
        start, _ = read_head(session)
    appended, began = 0, time.perf_counter()
    while appended < entries:
        count = min(batch, entries - appended)
        events = _events(start + appended, count, subjects, rng)
        with transaction(factory) as session:
            append_entries(session, entries=events, pseudonymizer=pseudonymizer)
        appended += count
        if appended % (batch * 20) == 0 or appended == entries:
            rate = appended / (time.perf_counter() - began)
            print(f"  appended {appended:>11,} entries  {rate:>9,.0f} entries/s", flush=True)
    elapsed = time.perf_counter() - began
    rate = entries / elapsed
    verdict = "meets" if rate >= 20_000 else "MISSES"
    print(f"append ({batch:,}/batch)        {rate:,.0f} entries/s ({verdict} >= 20,000/s)")
    with transaction(factory) as session:
        size, _ = read_head(session)
        print(f"log size                   {size:,} entries")
        if engine.dialect.name == "postgresql":
            session.execute(text("ANALYZE"))
        _report(
            "inclusion proof",
            _timed(
                queries, lambda: inclusion_proof(session, index=rng.randrange(size), tree_size=size)
            ),
            1.0,
        )
        _report(
            "consistency proof",
            _timed(
                queries,
                lambda: consistency_proof(session, first=rng.randrange(1, size + 1), second=size),
            ),
            1.0,
        )
        _report(
            "per-subject query (100)",
            _timed(
                queries,
                lambda: search(
                    session,
                    subject_pseudonym=pseudonymizer.pseudonym(f"{rng.randrange(subjects):011d}"),
                    limit=100,
                ),
            ),
            20.0,
        )
        _report(
            "per-member query (100)",
            _timed(
                queries // 10,
                lambda: search(session, member=f"LA/GOV/MIN{rng.randrange(18)}/sub0", limit=100),
            ),
            20.0,
        )
        if verify:
            began = time.perf_counter()
            verify_log(session, verifier=_NoHeads())
            seconds = time.perf_counter() - began
            print(f"verify_log                 {seconds:.1f} s ({size / seconds:,.0f} entries/s)")


class _NoHeads:
    """The benchmark signs no tree heads, so nothing is ever asked of the verifier."""

    def verify(self, *, key_id: str, message: bytes, signature: bytes) -> None:
        raise AssertionError("unexpected tree head")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--batch", type=int, default=10_000)
    parser.add_argument(
        "--subjects",
        type=int,
        default=500_000,
        help="distinct citizens the accesses are spread over",
    )
    parser.add_argument("--queries", type=int, default=2_000)
    parser.add_argument("--database-url", help="PostgreSQL URL (default: a new SQLite file)")
    parser.add_argument("--verify", action="store_true", help="also time verify_log")
    parser.add_argument(
        "--start-postgres",
        action="store_true",
        help="run on a throwaway PostgreSQL server (tests/support/postgres.py)",
    )
    parser.add_argument(
        "--sqlite-cache-mb",
        type=int,
        default=0,
        help="PRAGMA cache_size for SQLite connections (0: the default)",
    )
    args = parser.parse_args()
    server = None
    if args.start_postgres:
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
        from tests.support.postgres import start_postgres

        server = start_postgres()
        args.database_url = server.create_database("tlog_bench")
    try:
        _run_on(args)
    finally:
        if server is not None:
            server.stop()


def _run_on(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory(prefix="tlog-bench-") as folder:
        url = args.database_url or f"sqlite:///{Path(folder) / 'bench.db'}"
        engine = open_database(url)
        if args.sqlite_cache_mb and engine.dialect.name == "sqlite":
            pages = -1024 * args.sqlite_cache_mb

            @event.listens_for(engine, "connect")
            def _cache(dbapi_connection: Any, _record: object) -> None:
                dbapi_connection.execute(f"PRAGMA cache_size={pages}")

            engine.dispose()
        upgrade(engine)
        print(
            f"database: {engine.dialect.name}; {args.entries:,} entries; {args.subjects:,} subjects"
            f"; load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores"
        )
        run(
            engine,
            entries=args.entries,
            batch=args.batch,
            subjects=args.subjects,
            queries=args.queries,
            verify=args.verify,
        )
        print(f"load average at the end {os.getloadavg()[0]:.2f}")
        engine.dispose()


if __name__ == "__main__":
    main()
