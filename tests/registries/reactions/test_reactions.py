"""Each ministry acts on deaths, moves and new enterprises in its own tables, with no re-entry."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from exchange.events.models import EventsOutbox
from exchange.events.outcomes import outcomes_for_event
from exchange.events.worker import Worker
from registries.business import service as business
from registries.familybook import service as familybook
from registries.reactions import members
from registries.reactions.consumer import InProcessTransport
from registries.reactions.subscribe import subscribe_ministries
from registries.residence import service as residence
from registries.tax import service as tax
from registries.tax.models import TaxDeathNotice
from registries.welfare import service as welfare
from schemas.identifiers import PersonId
from tests.exchange.events.world import Clock, couple, register_birth, register_death, sessions_for
from tests.schemas.examples import ADDRESS, VALID


def _deliver_all(db_session: Session) -> None:
    clock = Clock()
    sessions = sessions_for(db_session)
    Worker(sessions=sessions, transport=InProcessTransport(sessions), clock=clock).drain()


def _last_event(db_session: Session) -> str:
    event_id = db_session.scalar(select(EventsOutbox.event_id).order_by(EventsOutbox.id.desc()))
    assert event_id is not None
    return event_id


def test_a_mothers_death_stops_the_allowance_and_tells_tax(db_session: Session) -> None:
    subscribe_ministries(db_session, now=Clock()())
    mother, father, household = couple(db_session, 1)
    child = register_birth(db_session, mother, father)
    _deliver_all(db_session)
    register_death(db_session, mother)
    _deliver_all(db_session)
    assert welfare.case_for_child(db_session, child_id=child)["status"] == "closed"
    notice = db_session.scalar(
        select(TaxDeathNotice).where(TaxDeathNotice.person_id == mother.value)
    )
    assert notice is not None
    members_left = familybook.get_household(db_session, household_id=household)["members"]
    assert mother.value not in {m["personId"] for m in members_left["member"]}
    done = {o.subscriber for o in outcomes_for_event(db_session, event_id=_last_event(db_session))}
    assert done == {members.FAMILYBOOK, members.WELFARE, members.TAX, members.STATISTICS}


def test_a_heads_move_moves_the_household(db_session: Session) -> None:
    subscribe_ministries(db_session, now=Clock()())
    _, father, household = couple(db_session, 1)
    residence.set_residence(
        db_session,
        residence={"personId": father.value, "address": ADDRESS, "validFrom": "2020-01-01"},
    )
    assert db_session.scalar(select(EventsOutbox.id)) is None  # a first address is not a move
    moved = {**ADDRESS, "villageCode": "0101002", "villageNameRoman": "Sisavat"}
    residence.set_residence(
        db_session,
        residence={"personId": father.value, "address": moved, "validFrom": "2025-01-01"},
    )
    _deliver_all(db_session)
    book = familybook.get_household(db_session, household_id=household)
    assert book["address"]["villageCode"] == "0101002"
    assert len(outcomes_for_event(db_session, event_id=_last_event(db_session))) == 2


def test_a_new_enterprise_is_registered_for_tax(db_session: Session) -> None:
    subscribe_ministries(db_session, now=Clock()())
    registration = VALID["BusinessRegistration"]
    business.register_business(db_session, registration=registration)
    _deliver_all(db_session)
    (outcome,) = outcomes_for_event(db_session, event_id=_last_event(db_session))
    assert outcome.subscriber == members.TAX
    tin = registration["registrationNumber"][2:]
    assert (
        tax.get_taxpayer(db_session, tin=tin)["registrationNumber"]
        == (registration["registrationNumber"])
    )
    owner = PersonId.parse(registration["ownerId"])
    assert outcome in outcomes_for_event(db_session, event_id=_last_event(db_session))
    assert owner.value == registration["ownerId"]
