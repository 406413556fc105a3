"""Put the ministry systems' subscriptions in place, each under its own legal basis."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from exchange.consent.basis import add_legal_basis
from exchange.consent.models import LegalBasis
from exchange.events.models import EventsSubscription
from exchange.events.subscriptions import subscribe
from exchange.events.types import EventType, service_of
from registries.reactions.members import PURPOSE, SUBSCRIBES


def legal_basis_for(
    session: Session, *, subscriber: str, event_type: EventType, valid_from: datetime
) -> LegalBasis:
    """The (demonstration) law letting ``subscriber`` receive ``event_type`` events."""
    return add_legal_basis(
        session,
        service=service_of(event_type),
        consumer=subscriber,
        law_reference=f"Tell-us-once notification of {event_type.value} events (demo basis)",
        purposes=[PURPOSE[subscriber]],
        data_items=[f"events.{event_type.value}.notice"],
        valid_from=valid_from,
    )


def subscribe_ministries(session: Session, *, now: datetime) -> list[EventsSubscription]:
    """Subscribe every ministry system to its event types (idempotent: keeps existing ones)."""
    existing = {
        (row.subscriber, row.event_type)
        for row in session.scalars(select(EventsSubscription).where(EventsSubscription.active))
    }
    made: list[EventsSubscription] = []
    for subscriber, kinds in SUBSCRIBES.items():
        for kind in kinds:
            if (subscriber, kind.value) in existing:
                continue
            basis = legal_basis_for(session, subscriber=subscriber, event_type=kind, valid_from=now)
            made.append(
                subscribe(
                    session,
                    subscriber=subscriber,
                    event_type=kind,
                    legal_basis_id=basis.id,
                    now=now,
                )
            )
    return made
