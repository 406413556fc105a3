"""Replay protection: a message id is accepted once per sender."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from exchange.gateway.replay import forget_before, remember_message
from exchange.xroad.errors import ReplayedMessageError
from exchange.xroad.identifiers import ClientId

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
