"""Subscriptions: a member receives an event type only under a legal basis in force."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from exchange.consent import identifiers
from exchange.consent.errors import InvalidConsentRequestError
from exchange.consent.models import LegalBasis
from exchange.events.errors import InvalidEventError, SubscriptionRefusedError
from exchange.events.models import EventsSubscription
from exchange.events.types import EventType, service_of


def require_basis(
    session: Session, *, legal_basis_id: int, subscriber: str, event_type: EventType, now: datetime
) -> LegalBasis:
    """The basis, if it names this event feed, covers the subscriber and is in force; else raise."""
    basis = session.get(LegalBasis, legal_basis_id)
    check_basis(basis, subscriber=subscriber, event_type=event_type, now=now)
    assert basis is not None
    return basis


def check_basis(
    basis: LegalBasis | None, *, subscriber: str, event_type: EventType, now: datetime
) -> None:
    """Raise SubscriptionRefusedError unless ``basis`` lets ``subscriber`` receive the events."""
    if basis is None:
        raise SubscriptionRefusedError("no legal basis with this reference")
    if basis.service != service_of(event_type):
        raise SubscriptionRefusedError("the legal basis is for another service")
    if not identifiers.covers(basis.consumer, subscriber):
        raise SubscriptionRefusedError("the legal basis does not name this subscriber")
    if now < basis.valid_from or (basis.valid_to is not None and now >= basis.valid_to):
        raise SubscriptionRefusedError("the legal basis is not in force")


def subscribe(
    session: Session,
    *,
    subscriber: str,
    event_type: EventType,
    legal_basis_id: int,
    now: datetime,
) -> EventsSubscription:
    """Subscribe a member to an event type (events registered from now on); refused without
    a basis in force. Subscribing again under a new basis replaces the old basis."""
    try:
        identifiers.member_id(subscriber, what="subscriber")
    except InvalidConsentRequestError as exc:
        raise InvalidEventError(exc.message) from exc
    require_basis(
        session,
        legal_basis_id=legal_basis_id,
        subscriber=subscriber,
        event_type=event_type,
        now=now,
    )
    row = session.scalar(
        select(EventsSubscription).where(
            EventsSubscription.subscriber == subscriber,
            EventsSubscription.event_type == event_type.value,
        )
    )
    if row is None:
        row = EventsSubscription(subscriber=subscriber, event_type=event_type.value, created_at=now)
        session.add(row)
    row.legal_basis_id = legal_basis_id
    row.active = True
    session.flush()
    return row


def unsubscribe(session: Session, *, subscriber: str, event_type: EventType) -> None:
    """Stop creating deliveries for this subscriber; pending ones are still delivered."""
    row = session.scalar(
        select(EventsSubscription).where(
            EventsSubscription.subscriber == subscriber,
            EventsSubscription.event_type == event_type.value,
        )
    )
    if row is not None:
        row.active = False
        session.flush()


def subscriptions(session: Session) -> list[EventsSubscription]:
    return list(
        session.scalars(
            select(EventsSubscription).order_by(
                EventsSubscription.event_type, EventsSubscription.subscriber
            )
        )
    )
