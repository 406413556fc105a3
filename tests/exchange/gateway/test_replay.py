"""Replay protection: a message id is accepted once per sender."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from exchange.gateway.replay import forget_before, remember_message
from exchange.gateway.sqlitelock import take_write_lock
from exchange.xroad.errors import ReplayedMessageError
from exchange.xroad.identifiers import ClientId
from onedoor.db import open_database, session_factory, transaction
from onedoor.migrate import upgrade

GATEWAY = ClientId("LA", "GOV", "REPLAY")
ALICE = ClientId("LA", "GOV", "ALICE")
BOB = ClientId("LA", "GOV", "BOB")
NOW = datetime(2026, 3, 1, tzinfo=UTC)


def test_second_arrival_is_refused(db_session: Session) -> None:
    remember_message(db_session, gateway=GATEWAY, sender=ALICE, message_id="m", now=NOW)
    with pytest.raises(ReplayedMessageError):
        remember_message(db_session, gateway=GATEWAY, sender=ALICE, message_id="m", now=NOW)


def test_same_id_from_another_sender_is_another_message(db_session: Session) -> None:
    remember_message(db_session, gateway=GATEWAY, sender=ALICE, message_id="m", now=NOW)
    remember_message(db_session, gateway=GATEWAY, sender=BOB, message_id="m", now=NOW)


def test_forgetting_old_ids(db_session: Session) -> None:
    remember_message(db_session, gateway=GATEWAY, sender=ALICE, message_id="old", now=NOW)
    later = NOW + timedelta(hours=1)
    remember_message(db_session, gateway=GATEWAY, sender=ALICE, message_id="new", now=later)
    assert forget_before(db_session, gateway=GATEWAY, before=NOW + timedelta(minutes=10)) == 1
    with pytest.raises(ReplayedMessageError):
        remember_message(db_session, gateway=GATEWAY, sender=ALICE, message_id="new", now=later)


def test_replicas_racing_with_one_id_accept_it_once(empty_database_url: str) -> None:
    """Two gateway replicas receiving the same message at once: exactly one accepts it."""
    engine = open_database(empty_database_url)
    upgrade(engine)
    sessions = session_factory(engine)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def replica() -> None:
        barrier.wait()
        try:
            with transaction(sessions) as session:
                take_write_lock(session)
                remember_message(session, gateway=GATEWAY, sender=ALICE, message_id="race",
                                 now=NOW)
            outcomes.append("accepted")
        except ReplayedMessageError:
            outcomes.append("refused")

    threads = [threading.Thread(target=replica) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["accepted", "refused"]
    engine.dispose()
