"""Durable delivery: every ministry acts once, in order per subject, dead letters replayable."""

from __future__ import annotations

import random
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from exchange.consent.models import LegalBasis
from exchange.events import dlq
from exchange.events.envelope import parse_event
from exchange.events.errors import SubscriptionRefusedError
from exchange.events.models import EventsDelivery, EventsOutbox
from exchange.events.outcomes import outcomes_for_event, outcomes_for_subject
from exchange.events.retry import RetryPolicy
from exchange.events.subscriptions import subscribe
from exchange.events.types import EventType
from exchange.events.worker import Worker
from registries.health.models import HealthImmunisationSchedule
from registries.reactions import members
from registries.reactions.consumer import InProcessTransport
from registries.reactions.subscribe import legal_basis_for, subscribe_ministries
from registries.welfare.models import WelfareChildAllowanceCase
from tests.exchange.events.world import Clock, couple, register_birth, register_death, sessions_for


class FlakyTransport:
    """Passes deliveries through, but fails those to ``down`` subscribers; records the order."""

    def __init__(self, inner: InProcessTransport) -> None:
        self.inner = inner
        self.down: set[str] = set()
        self.poison: set[str] = set()
        self.delivered: list[tuple[str, str]] = []

    def deliver(self, subscriber: str, event_xml: bytes, headers: Mapping[str, str]) -> None:
        event_id = headers["X-OneDoor-Event-Id"]
        if subscriber in self.down or event_id in self.poison:
            raise ConnectionError("subscriber unreachable")
        self.inner.deliver(subscriber, event_xml, headers)
        self.delivered.append((subscriber, event_id))


def _worker(db_session: Session, clock: Clock, **options: object) -> tuple[Worker, FlakyTransport]:
    sessions = sessions_for(db_session)
    transport = FlakyTransport(InProcessTransport(sessions, clock=clock))
    worker = Worker(
        sessions=sessions,
        transport=transport,
        clock=clock,
        rng=random.Random(1),
        **options,  # type: ignore[arg-type]
    )
    return worker, transport


def _states(session: Session, subscriber: str) -> list[str]:
    return list(
        session.scalars(
            select(EventsDelivery.state)
            .where(EventsDelivery.subscriber == subscriber)
            .order_by(EventsDelivery.outbox_id)
        )
    )


def test_one_birth_is_acted_on_by_every_ministry(db_session: Session) -> None:
    clock = Clock()
    subscribe_ministries(db_session, now=clock())
    mother, father, household = couple(db_session, 1)
    child = register_birth(db_session, mother, father)
    worker, _ = _worker(db_session, clock)
    assert worker.drain() == 5
    event_id = db_session.scalar(select(EventsOutbox.event_id))
    assert event_id is not None
    done = outcomes_for_event(db_session, event_id=event_id)
    assert {o.subscriber for o in done} == {
        members.FAMILYBOOK,
        members.WELFARE,
        members.HEALTH,
        members.EDUCATION,
        members.STATISTICS,
    }
    assert any(household in o.text_en for o in done)
    assert all(o.text_lo and o.text_en for o in done)
    # The parent who registered the birth sees the same outcomes as the child's record.
    assert outcomes_for_subject(db_session, person_id=mother.value) == done
    assert outcomes_for_subject(db_session, person_id=child.value) == done
    cases = db_session.scalar(
        select(func.count()).where(WelfareChildAllowanceCase.child_id == child.value)
    )
    assert cases == 1


def test_a_redelivered_event_has_no_second_effect(db_session: Session) -> None:
    clock = Clock()
    subscribe_ministries(db_session, now=clock())
    mother, father, _ = couple(db_session, 1)
    child = register_birth(db_session, mother, father)
    worker, transport = _worker(db_session, clock)
    worker.drain()
    document = db_session.scalar(select(EventsOutbox.document))
    assert document is not None
    event = parse_event(document.encode())
    for subscriber in (members.HEALTH, members.WELFARE, members.STATISTICS):
        transport.deliver(subscriber, document.encode(), {"X-OneDoor-Event-Id": event.event_id})
    schedules = db_session.scalar(
        select(func.count()).where(HealthImmunisationSchedule.person_id == child.value)
    )
    assert schedules == 1
    assert len(outcomes_for_event(db_session, event_id=event.event_id)) == 5


def test_a_subscriber_that_was_down_gets_every_event_in_order(db_session: Session) -> None:
    clock = Clock()
    subscribe_ministries(db_session, now=clock())
    worker, transport = _worker(db_session, clock)
    transport.down.add(members.WELFARE)
    mother, father, _ = couple(db_session, 1)
    first = register_birth(db_session, mother, father)
    second = register_birth(db_session, mother, father)
    register_death(db_session, first)
    for _ in range(4):
        worker.drain()
        clock.advance(60)
    assert _states(db_session, members.WELFARE) == ["pending"] * 3
    transport.down.clear()
    clock.advance(600)
    worker.drain()
    assert _states(db_session, members.WELFARE) == ["delivered"] * 3
    welfare_order = [e for s, e in transport.delivered if s == members.WELFARE]
    outbox_order = list(db_session.scalars(select(EventsOutbox.event_id).order_by(EventsOutbox.id)))
    assert welfare_order == outbox_order
    # The death after the birth closed the first child's case; the second stays open.
    statuses = dict(
        db_session.execute(
            select(WelfareChildAllowanceCase.child_id, WelfareChildAllowanceCase.status)
        ).all()
    )
    assert statuses == {first.value: "closed", second.value: "open"}


def test_a_poison_event_goes_dead_without_blocking_other_subjects(db_session: Session) -> None:
    clock = Clock()
    subscribe_ministries(db_session, now=clock())
    worker, transport = _worker(db_session, clock, policy=RetryPolicy(max_attempts=3))
    mother_a, father_a, _ = couple(db_session, 1)
    mother_b, father_b, _ = couple(db_session, 2)
    child_a = register_birth(db_session, mother_a, father_a)
    poison = db_session.scalar(select(EventsOutbox.event_id).order_by(EventsOutbox.id.desc()))
    assert poison is not None
    transport.poison.add(poison)
    register_death(db_session, child_a)  # same subject: must wait behind the poison event
    register_birth(db_session, mother_b, father_b)  # another subject: must not wait
    for _ in range(5):
        worker.drain()
        clock.advance(600)
    dead = dlq.list_dead(db_session)
    assert {d.event_id for d in dead} == {poison}
    assert all(d.attempts == 3 and d.last_error for d in dead)
    assert _states(db_session, members.STATISTICS) == ["dead", "pending", "delivered"]
    transport.poison.clear()
    assert dlq.replay(db_session, now=clock(), delivery_id=dead[0].delivery_id) == 1
    assert dlq.replay(db_session, now=clock()) == len(dead) - 1
    worker.drain()
    assert _states(db_session, members.STATISTICS) == ["delivered"] * 3
    assert dlq.list_dead(db_session) == []


def test_subscribing_without_a_legal_basis_is_refused(db_session: Session) -> None:
    now = datetime.now(UTC)
    with pytest.raises(SubscriptionRefusedError):
        subscribe(
            db_session,
            subscriber=members.HEALTH,
            event_type=EventType.birth,
            legal_basis_id=999_999,
            now=now,
        )
    other = legal_basis_for(
        db_session, subscriber=members.TAX, event_type=EventType.birth, valid_from=now
    )
    with pytest.raises(SubscriptionRefusedError):  # a basis for someone else
        subscribe(
            db_session,
            subscriber=members.HEALTH,
            event_type=EventType.birth,
            legal_basis_id=other.id,
            now=now,
        )
    death_basis = legal_basis_for(
        db_session, subscriber=members.HEALTH, event_type=EventType.death, valid_from=now
    )
    with pytest.raises(SubscriptionRefusedError):  # a basis for another feed
        subscribe(
            db_session,
            subscriber=members.HEALTH,
            event_type=EventType.birth,
            legal_basis_id=death_basis.id,
            now=now,
        )
    future = legal_basis_for(
        db_session,
        subscriber=members.HEALTH,
        event_type=EventType.birth,
        valid_from=now + timedelta(days=1),
    )
    with pytest.raises(SubscriptionRefusedError):  # not yet in force
        subscribe(
            db_session,
            subscriber=members.HEALTH,
            event_type=EventType.birth,
            legal_basis_id=future.id,
            now=now,
        )


def test_a_basis_no_longer_in_force_stops_delivery_and_is_recorded(db_session: Session) -> None:
    clock = Clock()
    subscribe_ministries(db_session, now=clock())
    mother, father, _ = couple(db_session, 1)
    child = register_birth(db_session, mother, father)
    health_basis = db_session.scalar(
        select(LegalBasis).where(LegalBasis.consumer == members.HEALTH)
    )
    assert health_basis is not None
    db_session.execute(
        update(LegalBasis)
        .where(LegalBasis.id == health_basis.id)
        .values(valid_to=clock() + timedelta(seconds=1))
    )
    clock.advance(5)
    worker, _ = _worker(db_session, clock)
    worker.drain()
    refused = db_session.execute(
        select(EventsDelivery.state, EventsDelivery.last_error).where(
            EventsDelivery.subscriber == members.HEALTH
        )
    ).one()
    assert refused.state == "refused"
    assert "not in force" in (refused.last_error or "")
    schedules = db_session.scalar(
        select(func.count()).where(HealthImmunisationSchedule.person_id == child.value)
    )
    assert schedules == 0
    assert _states(db_session, members.WELFARE) == ["delivered"]
