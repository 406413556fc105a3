"""Benchmark life-event delivery end to end: registry commit -> outbox -> worker -> effect.

A publisher thread commits births through the civil registry's outbox hook (10 per
transaction) while delivery workers (threads here; processes in production) deliver each to 4
subscribers (welfare, health, education, statistics), each acting in its own tables. Prints
events/s and deliveries/s from the first commit to the last effect, and the delivery lag
(effect time minus commit time) p50/p99. SQLite file by default; ``--database-url`` for
PostgreSQL (an empty, migrated-on-the-fly database).

    .venv/bin/python bench/events_throughput.py [--births 500] [--workers 2]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from exchange.events.models import EventsDelivery, EventsOutbox  # noqa: E402
from exchange.events.subscriptions import subscribe  # noqa: E402
from exchange.events.types import EventType  # noqa: E402
from exchange.events.worker import Worker  # noqa: E402
from onedoor.db import open_database, session_factory, transaction  # noqa: E402
from onedoor.migrate import upgrade  # noqa: E402
from registries.reactions import members  # noqa: E402
from registries.reactions.consumer import InProcessTransport  # noqa: E402
from registries.reactions.subscribe import legal_basis_for  # noqa: E402
from tests.exchange.events.publisher import BATCH, birth_record  # noqa: E402
from tests.exchange.events.world import couple  # noqa: E402

SUBSCRIBERS = (members.WELFARE, members.HEALTH, members.EDUCATION, members.STATISTICS)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--births", type=int, default=500)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="events-bench-")
    url = args.database_url or f"sqlite:///{Path(folder) / 'bench.db'}"
    engine = open_database(url)
    upgrade(engine)
    sessions = session_factory(engine)
    now = datetime.now(UTC)
    with transaction(sessions) as session:
        for subscriber in SUBSCRIBERS:
            basis = legal_basis_for(
                session, subscriber=subscriber, event_type=EventType.birth, valid_from=now
            )
            subscribe(
                session,
                subscriber=subscriber,
                event_type=EventType.birth,
                legal_basis_id=basis.id,
                now=now,
            )
        couples = max(1, args.births // 5)
        for number in range(couples):
            couple(session, number)

    from exchange.events.sources import civil_record_registered

    def publish() -> None:
        for start in range(0, args.births, BATCH):
            with transaction(sessions) as session:
                for number in range(start, min(args.births, start + BATCH)):
                    civil_record_registered(
                        session, kind="birth", record=birth_record(number, couples)
                    )

    stop = threading.Event()
    workers = [
        Worker(
            sessions=sessions,
            transport=InProcessTransport(sessions),
            lease=timedelta(seconds=30),
            batch=20,
        )
        for _ in range(args.workers)
    ]
    threads = [
        threading.Thread(target=w.run, args=(stop,), kwargs={"idle_seconds": 0.01}) for w in workers
    ]
    started = time.perf_counter()
    publisher = threading.Thread(target=publish)
    publisher.start()
    for thread in threads:
        thread.start()
    publisher.join()
    published = time.perf_counter() - started
    expected = args.births * len(SUBSCRIBERS)
    while True:
        with transaction(sessions) as session:
            done = (
                session.scalar(select(func.count()).where(EventsDelivery.state == "delivered")) or 0
            )
        if done >= expected:
            break
        time.sleep(0.05)
    elapsed = time.perf_counter() - started
    stop.set()
    for thread in threads:
        thread.join()
    with transaction(sessions) as session:
        rows = session.execute(
            select(EventsDelivery.delivered_at, EventsOutbox.recorded_at).join(
                EventsOutbox, EventsOutbox.id == EventsDelivery.outbox_id
            )
        ).all()
    lags = sorted((d - r).total_seconds() for d, r in rows if d is not None)
    p99 = lags[min(len(lags) - 1, int(len(lags) * 0.99))]
    print(f"engine              {engine.dialect.name}, {args.workers} worker threads")
    print(f"births committed    {args.births} in {published:.2f} s")
    print(
        f"end to end          {args.births / elapsed:.1f} events/s, "
        f"{expected / elapsed:.1f} deliveries/s ({len(SUBSCRIBERS)} subscribers)"
    )
    print(f"delivery lag        p50 {statistics.median(lags):.3f} s, p99 {p99:.3f} s")
    engine.dispose()


if __name__ == "__main__":
    main()
