"""Health service: a child's immunisation schedule from the national EPI timetable."""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from registries.documents import decode, encode, new_record_id
from registries.errors import DuplicateRecordError, RecordNotFoundError
from registries.health.models import HealthImmunisationSchedule
from schemas.codec import JsonRecord
from schemas.identifiers import PersonId

RECORD_TYPE = "ImmunisationSchedule"

# (vaccine, dose number, age in days): the routine infant schedule.
EPI_TIMETABLE: tuple[tuple[str, int, int], ...] = (
    ("BCG", 1, 0),
    ("HepB", 1, 0),
    ("DTP-HepB-Hib", 1, 42),
    ("OPV", 1, 42),
    ("PCV", 1, 42),
    ("DTP-HepB-Hib", 2, 70),
    ("OPV", 2, 70),
    ("PCV", 2, 70),
    ("DTP-HepB-Hib", 3, 98),
    ("OPV", 3, 98),
    ("IPV", 1, 98),
    ("PCV", 3, 98),
    ("MR", 1, 270),
    ("JE", 1, 270),
    ("MR", 2, 540),
)


def schedule_immunisations(
    session: Session,
    *,
    person_id: PersonId,
    birth_date: date,
    rng: random.Random | None = None,
) -> JsonRecord:
    """Create the schedule of a newborn; a person has at most one schedule."""
    if _row(session, person_id.value) is not None:
        raise DuplicateRecordError("this person already has an immunisation schedule")
    doses = [
        {
            "vaccine": vaccine,
            "doseNumber": number,
            "dueOn": (birth_date + timedelta(days=days)).isoformat(),
            "status": "due",
        }
        for vaccine, number, days in EPI_TIMETABLE
    ]
    schedule = {
        "scheduleId": new_record_id("IS", rng),
        "version": 1,
        "personId": person_id.value,
        "birthDate": birth_date.isoformat(),
        "doses": {"dose": doses},
    }
    data, document = encode(RECORD_TYPE, schedule)
    session.add(
        HealthImmunisationSchedule(
            schedule_id=data["scheduleId"], person_id=person_id.value, document=document
        )
    )
    session.flush()
    return data


def schedule_for(session: Session, *, person_id: PersonId) -> JsonRecord:
    row = _row(session, person_id.value)
    if row is None:
        raise RecordNotFoundError("this person has no immunisation schedule")
    return decode(RECORD_TYPE, row.document)


def _row(session: Session, person_id: str) -> HealthImmunisationSchedule | None:
    return session.scalar(
        select(HealthImmunisationSchedule).where(HealthImmunisationSchedule.person_id == person_id)
    )
