"""What each subscriber did about an event, kept so the citizen is told in one place."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from exchange.events.models import EventsOutbox, EventsOutcome, EventsParty


@dataclass(frozen=True)
class Outcome:
    """One line a ministry system reports back, in Lao and English."""

    text_lo: str
    text_en: str


@dataclass(frozen=True)
class RecordedOutcome:
    event_id: str
    event_type: str
    subscriber: str
    text_lo: str
    text_en: str
    at: datetime


def record_outcome(
    session: Session, *, event_id: str, subscriber: str, outcome: Outcome, at: datetime
) -> None:
    """Store the outcome; call it in the subscriber's transaction that had the effect."""
    session.add(
        EventsOutcome(
            event_id=event_id,
            subscriber=subscriber,
            text_lo=outcome.text_lo[:500],
            text_en=outcome.text_en[:500],
            at=at,
        )
    )
    session.flush()


def outcomes_for_event(session: Session, *, event_id: str) -> list[RecordedOutcome]:
    """Everything that was done because of one event."""
    return _outcomes(session, EventsOutcome.event_id == event_id)


def outcomes_for_subject(session: Session, *, person_id: str) -> list[RecordedOutcome]:
    """Everything done because of events about a person (as subject, parent, spouse, owner)."""
    about = select(EventsParty.event_id).where(EventsParty.person_id == person_id)
    return _outcomes(session, EventsOutcome.event_id.in_(about))


def _outcomes(session: Session, condition: ColumnElement[bool]) -> list[RecordedOutcome]:
    rows = session.execute(
        select(EventsOutcome, EventsOutbox.event_type)
        .join(EventsOutbox, EventsOutbox.event_id == EventsOutcome.event_id)
        .where(condition)
        .order_by(EventsOutbox.id, EventsOutcome.subscriber)
    ).all()
    return [
        RecordedOutcome(
            event_id=row.event_id,
            event_type=kind,
            subscriber=row.subscriber,
            text_lo=row.text_lo,
            text_en=row.text_en,
            at=row.at,
        )
        for row, kind in rows
    ]
