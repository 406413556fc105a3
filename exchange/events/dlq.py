"""The dead-letter queue: deliveries that used up their tries, listed and replayed by operators."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from exchange.events.errors import EventNotFoundError
from exchange.events.models import EventsDelivery, EventsOutbox


@dataclass(frozen=True)
class DeadLetter:
    """A dead delivery as an operator sees it (no personal data: ids, type, error)."""

    delivery_id: int
    event_id: str
    event_type: str
    subscriber: str
    attempts: int
    last_error: str | None
    recorded_at: datetime


def list_dead(session: Session, *, limit: int = 100) -> list[DeadLetter]:
    """Dead deliveries, oldest event first."""
    rows = session.execute(
        select(EventsDelivery, EventsOutbox)
        .join(EventsOutbox, EventsOutbox.id == EventsDelivery.outbox_id)
        .where(EventsDelivery.state == "dead")
        .order_by(EventsDelivery.outbox_id, EventsDelivery.id)
        .limit(limit)
    ).all()
    return [
        DeadLetter(
            delivery_id=delivery.id,
            event_id=event.event_id,
            event_type=event.event_type,
            subscriber=delivery.subscriber,
            attempts=delivery.attempts,
            last_error=delivery.last_error,
            recorded_at=event.recorded_at,
        )
        for delivery, event in rows
    ]


def replay(session: Session, *, now: datetime, delivery_id: int | None = None) -> int:
    """Put dead deliveries (one, or all) back in the queue with fresh tries; returns how many."""
    statement = (
        update(EventsDelivery)
        .where(EventsDelivery.state == "dead")
        .values(
            state="pending",
            attempts=0,
            next_attempt_at=now,
            claimed_by=None,
            lease_expires_at=None,
        )
        .execution_options(synchronize_session=False)
    )
    if delivery_id is not None:
        statement = statement.where(EventsDelivery.id == delivery_id)
    count = int(getattr(session.execute(statement), "rowcount", 0))
    if delivery_id is not None and count == 0:
        raise EventNotFoundError("no dead delivery with this id")
    return count
