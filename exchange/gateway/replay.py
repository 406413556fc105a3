"""Replay protection: a message id is accepted once per sender within the validity window."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from typing import cast

from sqlalchemy import Executable, Table, delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from exchange.gateway.models import GatewaySeenMessage
from exchange.xroad.errors import ReplayedMessageError
from exchange.xroad.identifiers import ClientId

_TABLE = cast(Table, GatewaySeenMessage.__table__)
_CONFLICT = ("gateway", "sender", "message_id")


def remember_message(
    session: Session, *, gateway: ClientId, sender: ClientId, message_id: str, now: datetime
) -> None:
    """Record ``message_id`` from ``sender``; raises ReplayedMessageError if already seen.

    One ``INSERT ... ON CONFLICT DO NOTHING`` on the unique (gateway, sender, id): the row
    either is inserted by this transaction or already exists (committed, or being inserted by
    a concurrent transaction, which this one then waits for), so two replicas never both
    accept the same id.
    """
    values = {
        "gateway": str(gateway), "sender": str(sender), "message_id": message_id, "seen_at": now,
    }
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        statement: Executable = postgresql.insert(_TABLE).values(values).on_conflict_do_nothing(
            index_elements=_CONFLICT
        ).returning(_TABLE.c.id)
    elif dialect == "sqlite":
        statement = sqlite.insert(_TABLE).values(values).on_conflict_do_nothing(
            index_elements=_CONFLICT
        ).returning(_TABLE.c.id)
    else:  # pragma: no cover - OneDoor runs on SQLite and PostgreSQL
        raise NotImplementedError(f"replay protection needs an upsert on {dialect}")
    if session.execute(statement).first() is None:
        raise ReplayedMessageError(f"message id already received from {sender}")


def forget_before(session: Session, *, gateway: ClientId, before: datetime) -> int:
    """Drop ids older than the message window (twice the window is safe); returns the count."""
    result = session.execute(
        delete(GatewaySeenMessage).where(
            GatewaySeenMessage.gateway == str(gateway), GatewaySeenMessage.seen_at < before
        )
    )
    return int(getattr(result, "rowcount", 0) or 0)


def retention(window_seconds: int) -> timedelta:
    return timedelta(seconds=2 * window_seconds)


class CleanupSchedule:
    """When this process last dropped old ids of a gateway: at most once per ``every``.

    Ids kept a little longer than the retention are harmless (their messages are refused as
    stale by the time check), so the delete need not run in every request's transaction.
    """

    def __init__(self, every: timedelta = timedelta(seconds=10)) -> None:
        self._every = every
        self._lock = threading.Lock()
        self._last: dict[str, datetime] = {}

    def due(self, gateway: ClientId, now: datetime) -> bool:
        with self._lock:
            last = self._last.get(str(gateway))
            if last is not None and last <= now < last + self._every:
                return False
            self._last[str(gateway)] = now
            return True


CLEANUP = CleanupSchedule()
