"""Replicas appending to one gateway's message log never fork the chain or lose a message."""

from __future__ import annotations

import os
import threading
from datetime import UTC, datetime

from exchange.gateway.messagelog import LoggedMessage, append, load_rows, verify_rows
from exchange.xroad.identifiers import parse_client_id
from onedoor.db import open_database, session_factory, transaction
from onedoor.migrate import upgrade

GATEWAY = parse_client_id("LA/GOV/MOHA/civil")
THREADS, APPENDS = 4, 10


def _message(n: str) -> LoggedMessage:
    return LoggedMessage(
        role="provider", kind="request", message_id=n, client="LA/GOV/MOLSW/welfare",
        service="LA/GOV/MOHA/civil/person", request_hash="h" * 20, wire="w", headers={},
        body=b"{}",
    )


def test_concurrent_appends_make_one_valid_chain(empty_database_url: str) -> None:
    engine = open_database(empty_database_url)
    upgrade(engine)
    sessions = session_factory(engine)
    key = os.urandom(32)
    errors: list[BaseException] = []

    def worker(number: int) -> None:
        try:
            for i in range(APPENDS):
                with transaction(sessions) as session:
                    append(
                        session, gateway=GATEWAY, message=_message(f"m-{number}-{i}"),
                        log_key=key, now=datetime.now(UTC),
                    )
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    with transaction(sessions) as session:
        rows = load_rows(session, gateway=str(GATEWAY))
    assert [row["seq"] for row in rows] == list(range(1, THREADS * APPENDS + 1))
    assert verify_rows(rows) == THREADS * APPENDS
    engine.dispose()
