"""Civil records move declared -> validated -> registered -> certified; corrections keep history."""

from __future__ import annotations

import random
from datetime import date

import pytest
from sqlalchemy.orm import Session

from registries.civil import service as civil
from registries.civil.lifecycle import RecordKind, RecordState
from registries.errors import (
    DuplicateRecordError,
    InconsistentRecordError,
    InvalidTransitionError,
    RecordNotFoundError,
)
from schemas.errors import SchemaInvalidError
from schemas.identifiers import PersonId
from tests.registries.people import add, name

TODAY = date(2025, 3, 1)


def _birth(mother: PersonId, father: PersonId) -> dict[str, object]:
    return {
        "childName": name("ນ້ອຍ", "Noy"),
        "sex": "F",
        "birthDate": "2025-02-20",
        "birthDistrict": "0601",
        "motherId": mother.value,
        "fatherId": father.value,
    }


def _register_birth(session: Session) -> tuple[str, PersonId]:
    mother = add(session, 1, "F", "1995-01-01")
    father = add(session, 2, "M", "1993-01-01")
    rng = random.Random(7)
    declared = civil.declare(
        session, kind=RecordKind.birth, record=_birth(mother, father), today=TODAY, rng=rng
    )
    record_id = declared["recordId"]
    for state in (RecordState.validated, RecordState.registered):
        civil.advance(session, record_id=record_id, to=state, today=TODAY, rng=rng)
    return record_id, PersonId.parse(declared["childId"])


def test_birth_goes_through_the_lifecycle_and_creates_the_person(db_session: Session) -> None:
    record_id, child = _register_birth(db_session)
    person = civil.get_person(db_session, person_id=child)
    assert person["name"]["givenNameRoman"] == "Noy"
    assert person["birthDistrict"] == "0601"
    assert child.province == "06"
    certified = civil.advance(
        db_session,
        record_id=record_id,
        to=RecordState.certified,
        today=TODAY,
        rng=random.Random(1),
    )
    assert certified["state"] == "certified"
    assert certified["registeredOn"] == "2025-03-01"
    assert certified["certificateNumber"].startswith("BC-2025-")


def test_declared_birth_is_not_yet_a_person(db_session: Session) -> None:
    mother = add(db_session, 1, "F", "1995-01-01")
    father = add(db_session, 2, "M", "1993-01-01")
    declared = civil.declare(
        db_session, kind=RecordKind.birth, record=_birth(mother, father), today=TODAY
    )
    assert declared["state"] == "declared" and declared["version"] == 1
    with pytest.raises(RecordNotFoundError):
        civil.get_person(db_session, person_id=PersonId.parse(declared["childId"]))


def test_steps_cannot_be_skipped_or_repeated(db_session: Session) -> None:
    mother = add(db_session, 1, "F", "1995-01-01")
    father = add(db_session, 2, "M", "1993-01-01")
    record_id = civil.declare(
        db_session, kind=RecordKind.birth, record=_birth(mother, father), today=TODAY
    )["recordId"]
    with pytest.raises(InvalidTransitionError):
        civil.advance(db_session, record_id=record_id, to=RecordState.registered, today=TODAY)
    civil.advance(db_session, record_id=record_id, to=RecordState.validated, today=TODAY)
    with pytest.raises(InvalidTransitionError):
        civil.advance(db_session, record_id=record_id, to=RecordState.validated, today=TODAY)
    with pytest.raises(InvalidTransitionError):
        civil.advance(db_session, record_id=record_id, to=RecordState.declared, today=TODAY)


def test_validation_refuses_inconsistent_parents(db_session: Session) -> None:
    mother = add(db_session, 1, "F", "1995-01-01")
    father = add(db_session, 2, "M", "1993-01-01")
    swapped = civil.declare(
        db_session, kind=RecordKind.birth, record=_birth(father, mother), today=TODAY
    )
    with pytest.raises(InconsistentRecordError):
        civil.advance(
            db_session, record_id=swapped["recordId"], to=RecordState.validated, today=TODAY
        )
    unknown = PersonId.issue(province=2, serial=99)
    ghost = civil.declare(
        db_session, kind=RecordKind.birth, record=_birth(unknown, father), today=TODAY
    )
    with pytest.raises(InconsistentRecordError):
        civil.advance(
            db_session, record_id=ghost["recordId"], to=RecordState.validated, today=TODAY
        )


def test_declaration_breaking_the_schema_is_refused(db_session: Session) -> None:
    mother = add(db_session, 1, "F", "1995-01-01")
    father = add(db_session, 2, "M", "1993-01-01")
    bad = {**_birth(mother, father), "sex": "unknown"}
    with pytest.raises(SchemaInvalidError):
        civil.declare(db_session, kind=RecordKind.birth, record=bad, today=TODAY)


def test_correction_appends_a_version_keeps_history_and_updates_the_person(
    db_session: Session,
) -> None:
    record_id, child = _register_birth(db_session)
    corrected = civil.correct(
        db_session,
        record_id=record_id,
        changes={"childName": name("ນາລີ", "Naly")},
        reason="name misspelt at declaration",
    )
    assert corrected["version"] == 2
    assert corrected["state"] == "registered"
    versions = civil.history(db_session, record_id=record_id)
    assert [v["version"] for v in versions] == [1, 2]
    assert versions[0]["childName"]["givenNameRoman"] == "Noy"
    assert versions[1]["correctionReason"] == "name misspelt at declaration"
    assert civil.get_record(db_session, record_id=record_id)["version"] == 2
    assert civil.get_record(db_session, record_id=record_id, version=1)["version"] == 1
    assert civil.get_person(db_session, person_id=child)["name"]["givenNameRoman"] == "Naly"


def test_correction_cannot_rewrite_the_header(db_session: Session) -> None:
    record_id, _ = _register_birth(db_session)
    with pytest.raises(InvalidTransitionError):
        civil.correct(db_session, record_id=record_id, changes={"state": "certified"}, reason="x")


def test_death_registration_marks_the_person(db_session: Session) -> None:
    person = add(db_session, 3, "M", "1940-05-05")
    record = {"personId": person.value, "deathDate": "2025-02-01", "deathDistrict": "0101"}
    record_id = civil.declare(db_session, kind=RecordKind.death, record=record, today=TODAY)[
        "recordId"
    ]
    for state in (RecordState.validated, RecordState.registered):
        civil.advance(db_session, record_id=record_id, to=state, today=TODAY)
    assert civil.get_person(db_session, person_id=person)["deathDate"] == "2025-02-01"
    again = civil.declare(db_session, kind=RecordKind.death, record=record, today=TODAY)
    with pytest.raises(InconsistentRecordError):
        civil.advance(
            db_session, record_id=again["recordId"], to=RecordState.validated, today=TODAY
        )


def test_marriage_needs_two_living_people(db_session: Session) -> None:
    a = add(db_session, 4, "M", "1990-01-01")
    b = add(db_session, 5, "F", "1992-01-01")
    record = {
        "spouseAId": a.value,
        "spouseBId": b.value,
        "marriageDate": "2025-01-10",
        "marriageDistrict": "0101",
    }
    record_id = civil.declare(db_session, kind=RecordKind.marriage, record=record, today=TODAY)[
        "recordId"
    ]
    civil.advance(db_session, record_id=record_id, to=RecordState.validated, today=TODAY)
    about = civil.records_about(db_session, person_id=b)
    assert [r["recordId"] for r in about] == [record_id]
    self_marriage = {**record, "spouseBId": a.value}
    rid = civil.declare(db_session, kind=RecordKind.marriage, record=self_marriage, today=TODAY)
    with pytest.raises(InconsistentRecordError):
        civil.advance(db_session, record_id=rid["recordId"], to=RecordState.validated, today=TODAY)


def test_person_is_entered_once(db_session: Session) -> None:
    add(db_session, 6, "M", "1990-01-01")
    with pytest.raises(DuplicateRecordError):
        add(db_session, 6, "M", "1990-01-01")


def test_unknown_record(db_session: Session) -> None:
    with pytest.raises(RecordNotFoundError):
        civil.get_record(db_session, record_id="BR0000000000")
