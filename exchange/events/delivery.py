"""Claiming, acknowledging and failing deliveries; the transport that carries an event.

A claim is one ``UPDATE ... WHERE id IN (SELECT ... [FOR UPDATE SKIP LOCKED])``: on
PostgreSQL concurrent workers skip each other's rows; on SQLite the statement takes the write
lock first, so the compare-and-set (pending, unclaimed or lease expired) cannot race. A claim
holds a lease; a worker that dies simply lets it expire and another worker takes the row.
Per-subject order: a delivery is due only when no earlier event of the same subject for the
same subscriber is still pending or dead.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy import select, update
from sqlalchemy.orm import Session, aliased

from exchange.consent.models import LegalBasis
from exchange.events.models import EventsDelivery, EventsOutbox, EventsSubscription
from exchange.events.retry import RetryPolicy

BLOCKING_STATES = ("pending", "dead")


class Transport(Protocol):
    """Carries one event to one subscriber; returns when it is taken, raises on failure."""

    def deliver(self, subscriber: str, event_xml: bytes, headers: Mapping[str, str]) -> None: ...


@dataclass(frozen=True)
class Claimed:
    """A delivery this worker holds until its lease expires."""

    delivery_id: int
    token: str
    subscriber: str
    event_id: str
    event_type: str
    publisher: str
    document: str
    attempts: int
    law_reference: str | None
    # Only for the legal-basis check inside the claiming transaction.
    legal_basis: LegalBasis | None = field(default=None, compare=False, repr=False)

    def headers(self) -> dict[str, str]:
        return {
            "X-Road-Client": self.publisher,
            "X-OneDoor-Event-Id": self.event_id,
            "X-OneDoor-Event-Type": self.event_type,
            "X-OneDoor-Delivery-Attempt": str(self.attempts),
            "X-OneDoor-Legal-Basis": self.law_reference or "",
        }


def claim(
    session: Session, *, token: str, now: datetime, lease: timedelta, limit: int
) -> list[Claimed]:
    """Claim up to ``limit`` due deliveries, oldest events first; each try counts as an attempt.

    On SQLite call it first in its transaction (the UPDATE must be what takes the write lock).
    """
    d = EventsDelivery
    earlier = aliased(EventsDelivery)
    blocked = (
        select(earlier.id)
        .where(
            earlier.subscriber == d.subscriber,
            earlier.subject_id == d.subject_id,
            earlier.outbox_id < d.outbox_id,
            earlier.state.in_(BLOCKING_STATES),
        )
        .exists()
    )
    due = (
        select(d.id)
        .where(
            d.state == "pending",
            d.next_attempt_at <= now,
            (d.claimed_by.is_(None)) | (d.lease_expires_at <= now),
            ~blocked,
        )
        .order_by(d.outbox_id)
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        due = due.with_for_update(skip_locked=True, of=d)
    claimed_ids = list(
        session.scalars(
            update(d)
            .where(d.id.in_(due.scalar_subquery()), d.state == "pending")
            .values(claimed_by=token, lease_expires_at=now + lease, attempts=d.attempts + 1)
            .returning(d.id)
            .execution_options(synchronize_session=False)
        )
    )
    if not claimed_ids:
        return []
    rows = session.execute(
        select(d, EventsOutbox, LegalBasis)
        .join(EventsOutbox, EventsOutbox.id == d.outbox_id)
        .join(EventsSubscription, EventsSubscription.id == d.subscription_id)
        .outerjoin(LegalBasis, LegalBasis.id == EventsSubscription.legal_basis_id)
        .where(d.id.in_(claimed_ids))
        .order_by(d.outbox_id)
    ).all()
    return [
        Claimed(
            delivery_id=delivery.id,
            token=token,
            subscriber=delivery.subscriber,
            event_id=event.event_id,
            event_type=event.event_type,
            publisher=event.publisher,
            document=event.document,
            attempts=delivery.attempts,
            law_reference=basis.law_reference if basis is not None else None,
            legal_basis=basis,
        )
        for delivery, event, basis in rows
    ]


def mark_delivered(session: Session, *, claimed: Claimed, now: datetime) -> bool:
    """Acknowledge; False if the lease was lost meanwhile (the new holder acknowledges)."""
    return _finish(session, claimed, state="delivered", delivered_at=now, last_error=None)


def mark_refused(session: Session, *, claimed: Claimed, reason: str) -> bool:
    """Record that the event was not sent because its legal basis is no longer in force."""
    return _finish(session, claimed, state="refused", last_error=reason[:500])


def mark_failed(
    session: Session,
    *,
    claimed: Claimed,
    now: datetime,
    error: str,
    policy: RetryPolicy,
    rng: random.Random,
) -> str:
    """Schedule the next try with back-off, or make the delivery dead; returns the new state."""
    if claimed.attempts >= policy.max_attempts:
        _finish(session, claimed, state="dead", last_error=error[:500])
        return "dead"
    _finish(
        session,
        claimed,
        state="pending",
        last_error=error[:500],
        next_attempt_at=now + policy.delay(claimed.attempts, rng),
    )
    return "pending"


def _finish(session: Session, claimed: Claimed, **values: object) -> bool:
    result = session.execute(
        update(EventsDelivery)
        .where(
            EventsDelivery.id == claimed.delivery_id,
            EventsDelivery.claimed_by == claimed.token,
            EventsDelivery.state == "pending",
        )
        .values(claimed_by=None, lease_expires_at=None, **values)
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0))
