"""The consuming side: act on an event once per subscriber; the in-process transport."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, sessionmaker

from exchange.events.envelope import LifeEvent, parse_event
from exchange.events.errors import InvalidEventError
from exchange.events.outcomes import Outcome, record_outcome
from exchange.events.types import EventType
from onedoor.db import transaction
from registries.reactions import education, familybook, health, members, statistics, tax, welfare
from registries.reactions.handler import Handler
from registries.reactions.models import (
    ReactionsEducationInbox,
    ReactionsFamilybookInbox,
    ReactionsHealthInbox,
    ReactionsStatisticsInbox,
    ReactionsTaxInbox,
    ReactionsWelfareInbox,
)

Inbox = (
    type[ReactionsFamilybookInbox]
    | type[ReactionsWelfareInbox]
    | type[ReactionsHealthInbox]
    | type[ReactionsEducationInbox]
    | type[ReactionsStatisticsInbox]
    | type[ReactionsTaxInbox]
)


@dataclass(frozen=True)
class Consumer:
    """One ministry system: its inbox table and its handler per event type."""

    member: str
    inbox: Inbox
    handlers: Mapping[EventType, Handler]


CONSUMERS: dict[str, Consumer] = {
    consumer.member: consumer
    for consumer in (
        Consumer(members.FAMILYBOOK, ReactionsFamilybookInbox, familybook.HANDLERS),
        Consumer(members.WELFARE, ReactionsWelfareInbox, welfare.HANDLERS),
        Consumer(members.HEALTH, ReactionsHealthInbox, health.HANDLERS),
        Consumer(members.EDUCATION, ReactionsEducationInbox, education.HANDLERS),
        Consumer(members.STATISTICS, ReactionsStatisticsInbox, statistics.HANDLERS),
        Consumer(members.TAX, ReactionsTaxInbox, tax.HANDLERS),
    )
}


def consume(session: Session, *, subscriber: str, event: LifeEvent, at: datetime) -> bool:
    """Act on ``event`` as ``subscriber`` unless already done; False for a redelivery.

    A ministry system acts on one event at a time (its services read, then rewrite, shared
    rows such as a household or a monthly count): on PostgreSQL a transaction-scoped advisory
    lock per subscriber; on SQLite the inbox insert comes first and takes the write lock.
    """
    consumer = CONSUMERS.get(subscriber)
    if consumer is None:
        raise InvalidEventError("no such subscriber system here")
    handler = consumer.handlers.get(event.event_type)
    if handler is None:
        raise InvalidEventError("this subscriber does not act on this event type")
    _serialise(session, subscriber)
    if not _first_time(session, consumer.inbox, event, at):
        return False
    outcome: Outcome = handler(session, event)
    record_outcome(session, event_id=event.event_id, subscriber=subscriber, outcome=outcome, at=at)
    return True


def _serialise(session: Session, subscriber: str) -> None:
    if session.get_bind().dialect.name == "postgresql":
        digest = hashlib.sha256(f"onedoor-reactions:{subscriber}".encode()).digest()
        key = int.from_bytes(digest[:8], "big", signed=True)
        session.execute(select(func.pg_advisory_xact_lock(key)))


def _first_time(session: Session, inbox: Inbox, event: LifeEvent, at: datetime) -> bool:
    """Record the event in the inbox; False if it was already there (a redelivery)."""
    values = {"event_id": event.event_id, "event_type": event.event_type.value, "processed_at": at}
    if session.get_bind().dialect.name == "postgresql":
        statement: Any = pg_insert(inbox).values(**values).on_conflict_do_nothing()
    else:
        statement = sqlite_insert(inbox).values(**values).on_conflict_do_nothing()
    return session.execute(statement.returning(inbox.event_id)).first() is not None


class InProcessTransport:
    """Delivers by calling the reactions in this process (the demo, tests, one-machine setups).

    The lead replaces it by the gateway transport (signed, encrypted, logged) between hosts.
    """

    def __init__(
        self,
        sessions: sessionmaker[Session],
        *,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.sessions = sessions
        self.clock = clock

    def deliver(self, subscriber: str, event_xml: bytes, headers: Mapping[str, str]) -> None:
        event = parse_event(event_xml)
        if headers.get("X-OneDoor-Event-Id", event.event_id) != event.event_id:
            raise InvalidEventError("the event id header does not match the event")
        with transaction(self.sessions) as session:
            consume(session, subscriber=subscriber, event=event, at=self.clock())
