"""Tables of life-event routing (prefix ``events_``)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from onedoor.db import Base
from onedoor.dbtypes import UtcDateTime

DELIVERY_STATES = ("pending", "delivered", "dead", "refused")


class EventsOutbox(Base):
    """An event, written in the transaction that registered its record; ``id`` orders events."""

    __tablename__ = "events_outbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[str] = mapped_column(String(36), unique=True)
    event_type: Mapped[str] = mapped_column(String(32))
    subject_id: Mapped[str] = mapped_column(String(12), index=True)
    publisher: Mapped[str] = mapped_column(String(300))
    occurred_on: Mapped[date] = mapped_column(Date)
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime())
    document: Mapped[str] = mapped_column(Text)


class EventsParty(Base):
    """A person an event is about (subject, parent, spouse, owner): whose outcomes to show."""

    __tablename__ = "events_party"
    __table_args__ = (UniqueConstraint("event_id", "person_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[str] = mapped_column(ForeignKey("events_outbox.event_id"))
    person_id: Mapped[str] = mapped_column(String(12), index=True)
    role: Mapped[str] = mapped_column(String(16))


class EventsSubscription(Base):
    """A member subscribed to one event type under a legal basis of the consent service."""

    __tablename__ = "events_subscription"
    __table_args__ = (UniqueConstraint("subscriber", "event_type"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subscriber: Mapped[str] = mapped_column(String(300))
    event_type: Mapped[str] = mapped_column(String(32))
    legal_basis_id: Mapped[int] = mapped_column(ForeignKey("consent_legal_basis.id"))
    active: Mapped[bool]
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class EventsDelivery(Base):
    """One event to one subscriber: pending until delivered, dead after the retry limit."""

    __tablename__ = "events_delivery"
    __table_args__ = (
        UniqueConstraint("outbox_id", "subscriber"),
        CheckConstraint(
            "state IN (" + ", ".join(f"'{s}'" for s in DELIVERY_STATES) + ")", name="state"
        ),
        Index("ix_events_delivery_due", "state", "next_attempt_at"),
        Index("ix_events_delivery_order", "subscriber", "subject_id", "outbox_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    outbox_id: Mapped[int] = mapped_column(ForeignKey("events_outbox.id"))
    subscription_id: Mapped[int] = mapped_column(ForeignKey("events_subscription.id"))
    subscriber: Mapped[str] = mapped_column(String(300))
    subject_id: Mapped[str] = mapped_column(String(12))
    state: Mapped[str] = mapped_column(String(16))
    attempts: Mapped[int] = mapped_column(Integer)
    next_attempt_at: Mapped[datetime] = mapped_column(UtcDateTime())
    claimed_by: Mapped[str | None] = mapped_column(String(36))
    lease_expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    last_error: Mapped[str | None] = mapped_column(String(500))
    delivered_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class EventsOutcome(Base):
    """What a subscriber did about an event, in Lao and English, to tell the citizen."""

    __tablename__ = "events_outcome"
    __table_args__ = (UniqueConstraint("event_id", "subscriber"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[str] = mapped_column(ForeignKey("events_outbox.event_id"))
    subscriber: Mapped[str] = mapped_column(String(300))
    text_lo: Mapped[str] = mapped_column(String(500))
    text_en: Mapped[str] = mapped_column(String(500))
    at: Mapped[datetime] = mapped_column(UtcDateTime())
