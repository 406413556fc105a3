"""The transactional outbox: an event and its deliveries, in the registry's own transaction."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from exchange.events.envelope import LifeEvent, new_event_id
from exchange.events.models import EventsDelivery, EventsOutbox, EventsParty, EventsSubscription
from exchange.events.types import PUBLISHER, EventType


def publish(
    session: Session,
    *,
    event_type: EventType,
    subject_id: str,
    occurred_on: date,
    source_record_id: str | None,
    payload: Mapping[str, Any],
    parties: Mapping[str, str] | None = None,
    recorded_at: datetime | None = None,
) -> LifeEvent:
    """Write the event and one pending delivery per active subscriber; commit with the caller.

    ``parties`` maps a role (``mother``, ``spouse``...) to the person id of someone else the
    event is about, so they too see its outcomes. Nothing is sent here: workers deliver it
    once the caller's transaction commits, and nothing at all if it rolls back.
    """
    now = recorded_at or datetime.now(UTC)
    event = LifeEvent(
        event_id=new_event_id(),
        event_type=event_type,
        subject_id=subject_id,
        occurred_on=occurred_on,
        recorded_at=now,
        source_record_id=source_record_id,
        payload=dict(payload),
    )
    document = event.to_xml().decode("utf-8")
    row = EventsOutbox(
        event_id=event.event_id,
        event_type=event_type.value,
        subject_id=subject_id,
        publisher=PUBLISHER[event_type],
        occurred_on=occurred_on,
        recorded_at=now,
        document=document,
    )
    session.add(row)
    session.flush()
    people = {subject_id: "subject"} if subject_id[:2].isdigit() else {}
    for role, person_id in (parties or {}).items():
        people.setdefault(person_id, role)
    if people:
        session.execute(
            insert(EventsParty),
            [{"event_id": event.event_id, "person_id": p, "role": r} for p, r in people.items()],
        )
    subscriptions = session.execute(
        select(EventsSubscription.id, EventsSubscription.subscriber).where(
            EventsSubscription.event_type == event_type.value, EventsSubscription.active
        )
    ).all()
    if subscriptions:
        session.execute(
            insert(EventsDelivery),
            [
                {
                    "outbox_id": row.id,
                    "subscription_id": subscription_id,
                    "subscriber": subscriber,
                    "subject_id": subject_id,
                    "state": "pending",
                    "attempts": 0,
                    "next_attempt_at": now,
                }
                for subscription_id, subscriber in subscriptions
            ],
        )
    return event
