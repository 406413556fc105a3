"""A small world for life-event tests: couples in households, births, a clock, sessions."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from registries.civil import service as civil
from registries.civil.lifecycle import RecordKind, RecordState
from registries.familybook import service as familybook
from schemas.identifiers import PersonId
from tests.registries.people import name
from tests.schemas.examples import ADDRESS

TODAY = date(2025, 3, 1)


class Clock:
    """Real time plus an offset the test moves forward (events are stamped in real time)."""

    def __init__(self) -> None:
        self.offset = timedelta()

    def __call__(self) -> datetime:
        return datetime.now(UTC) + self.offset

    def advance(self, seconds: float) -> None:
        self.offset += timedelta(seconds=seconds)


def sessions_for(db_session: Session) -> sessionmaker[Session]:
    """Sessions whose transactions are savepoints inside the test's rolled-back transaction."""
    return sessionmaker(
        bind=db_session.connection(),
        join_transaction_mode="create_savepoint",
        expire_on_commit=False,
    )


def person(session: Session, serial: int, sex: str, born: str = "1990-01-01") -> PersonId:
    pid = PersonId.issue(province=1, serial=serial)
    civil.add_person(
        session,
        person={
            "personId": pid.value,
            "name": name("ສົມສັກ", "Somsak") if sex == "M" else name("ມະນີ", "Many"),
            "sex": sex,
            "birthDate": born,
            "birthDistrict": "0101",
            "nationality": "LAO",
        },
    )
    return pid


def couple(session: Session, number: int) -> tuple[PersonId, PersonId, str]:
    """A mother and a father (serials 2n, 2n+1) heading household ``HH`` + n."""
    father = person(session, 2 * number + 1, "M")
    mother = person(session, 2 * number, "F")
    household_id = f"HH{number:010d}"
    familybook.create_household(
        session,
        household={
            "householdId": household_id,
            "version": 1,
            "headId": father.value,
            "address": ADDRESS,
            "members": {
                "member": [
                    {"personId": father.value, "relationship": "head", "since": "2015-01-01"},
                    {"personId": mother.value, "relationship": "spouse", "since": "2015-01-01"},
                ]
            },
        },
    )
    return mother, father, household_id


def register_birth(
    session: Session,
    mother: PersonId,
    father: PersonId | None = None,
    *,
    district: str = "0601",
    born: str = "2025-02-20",
    rng: random.Random | None = None,
) -> PersonId:
    """Declare, validate and register a birth; returns the child's new person id."""
    record = {
        "childName": name("ນ້ອຍ", "Noy"),
        "sex": "F",
        "birthDate": born,
        "birthDistrict": district,
        "motherId": mother.value,
        **({"fatherId": father.value} if father else {}),
    }
    declared = civil.declare(session, kind=RecordKind.birth, record=record, today=TODAY, rng=rng)
    for state in (RecordState.validated, RecordState.registered):
        civil.advance(session, record_id=declared["recordId"], to=state, today=TODAY, rng=rng)
    return PersonId.parse(declared["childId"])


def register_death(session: Session, person_id: PersonId, *, died: str = "2025-02-25") -> str:
    declared = civil.declare(
        session,
        kind=RecordKind.death,
        record={"personId": person_id.value, "deathDate": died, "deathDistrict": "0601"},
        today=TODAY,
    )
    for state in (RecordState.validated, RecordState.registered):
        civil.advance(session, record_id=declared["recordId"], to=state, today=TODAY)
    return str(declared["recordId"])
