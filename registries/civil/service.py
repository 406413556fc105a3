"""Civil-registry service: persons, and birth/death/marriage records through their lifecycle."""

from __future__ import annotations

import random
from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from exchange.events.sources import civil_record_registered
from registries.civil.lifecycle import (
    CERTIFICATE_PREFIX,
    ID_PREFIX,
    ORDER,
    RECORD_TYPE,
    RecordKind,
    RecordState,
    check_transition,
    kind_of_record_id,
)
from registries.civil.models import CivilPerson, CivilRecord
from registries.documents import decode, encode, new_record_id
from registries.errors import (
    DuplicateRecordError,
    InconsistentRecordError,
    InvalidTransitionError,
    RecordNotFoundError,
)
from schemas.codec import JsonRecord
from schemas.identifiers import PersonId

_HEADER = (
    "recordId",
    "version",
    "state",
    "declaredOn",
    "registeredOn",
    "certificateNumber",
    "correctionReason",
)
_SUBJECT = {
    RecordKind.birth: "childId",
    RecordKind.death: "personId",
    RecordKind.marriage: "spouseAId",
}
_OTHER = {RecordKind.birth: "motherId", RecordKind.death: None, RecordKind.marriage: "spouseBId"}
_EVENT_DATE = {
    RecordKind.birth: "birthDate",
    RecordKind.death: "deathDate",
    RecordKind.marriage: "marriageDate",
}


def add_person(session: Session, *, person: Mapping[str, Any]) -> JsonRecord:
    """Enter a Person record in the register as it stands (imports and migrations)."""
    data, document = encode("Person", person)
    person_id = PersonId.parse(data["personId"]).value
    if _person_row(session, person_id) is not None:
        raise DuplicateRecordError("a person with this identifier is already registered")
    session.add(CivilPerson(**person_columns(data), document=document))
    session.flush()
    return data


def person_columns(data: Mapping[str, Any]) -> dict[str, Any]:
    """The indexed columns of a civil_persons row for a Person in JSON form."""
    death = data.get("deathDate")
    return {
        "person_id": data["personId"],
        "sex": data["sex"],
        "birth_date": date.fromisoformat(data["birthDate"]),
        "death_date": date.fromisoformat(death) if death else None,
        "family_name_roman": data["name"]["familyNameRoman"],
    }


def get_person(session: Session, *, person_id: PersonId) -> JsonRecord:
    return decode("Person", person_document(session, person_id=person_id))


def person_document(session: Session, *, person_id: PersonId) -> str:
    """The stored Person XML of a registered person."""
    row = _person_row(session, person_id.value)
    if row is None:
        raise RecordNotFoundError("no person with this identifier")
    return row.document


def declare(
    session: Session,
    *,
    kind: RecordKind,
    record: Mapping[str, Any],
    today: date,
    rng: random.Random | None = None,
) -> JsonRecord:
    """Record a declaration (version 1, state declared); a birth gets a new person id."""
    body = {key: value for key, value in record.items() if key not in _HEADER}
    if kind is RecordKind.birth and not body.get("childId"):
        body["childId"] = _unused_person_id(session, str(body.get("birthDistrict", "01")), rng)
    for _ in range(5):
        record_id = new_record_id(ID_PREFIX[kind], rng)
        if _rows(session, record_id) == []:
            break
    header = {
        "recordId": record_id,
        "version": 1,
        "state": RecordState.declared.value,
        "declaredOn": today.isoformat(),
    }
    return _store(session, kind, {**header, **body})


def advance(
    session: Session,
    *,
    record_id: str,
    to: RecordState,
    today: date,
    rng: random.Random | None = None,
) -> JsonRecord:
    """Move a record one step along its lifecycle, applying that step's effects."""
    kind = kind_of_record_id(record_id)
    row = _current(session, record_id)
    data = decode(RECORD_TYPE[kind], row.document)
    check_transition(RecordState(row.state), to)
    if to is RecordState.validated:
        _check_consistent(session, kind, data)
    elif to is RecordState.registered:
        _check_consistent(session, kind, data)
        data["registeredOn"] = today.isoformat()
        _apply_registration(session, kind, data)
        # Tell us once: the life event goes out only if this transaction commits (outbox).
        civil_record_registered(session, kind=kind.value, record=data)
    elif to is RecordState.certified:
        serial = (rng or random.SystemRandom()).randrange(10**8)
        data["certificateNumber"] = f"{CERTIFICATE_PREFIX[kind]}-{today.year}-{serial:08d}"
    data["state"] = to.value
    row.state = to.value
    _, row.document = encode(RECORD_TYPE[kind], data)
    session.flush()
    return decode(RECORD_TYPE[kind], row.document)


def correct(
    session: Session, *, record_id: str, changes: Mapping[str, Any], reason: str
) -> JsonRecord:
    """Append a corrected version; earlier versions stay, and the register follows."""
    kind = kind_of_record_id(record_id)
    row = _current(session, record_id)
    data = decode(RECORD_TYPE[kind], row.document)
    if any(key in _HEADER for key in changes):
        raise InvalidTransitionError("a correction cannot change the record header")
    data.update(changes)
    data["version"] = row.version + 1
    data["correctionReason"] = reason
    state = RecordState(row.state)
    if ORDER.index(state) >= ORDER.index(RecordState.validated):
        _check_consistent(session, kind, data, correcting=True)
    row.is_current = False
    session.flush()
    stored = _store(session, kind, data)
    if ORDER.index(state) >= ORDER.index(RecordState.registered):
        _apply_registration(session, kind, stored, correcting=True)
    return stored


def get_record(session: Session, *, record_id: str, version: int | None = None) -> JsonRecord:
    kind = kind_of_record_id(record_id)
    if version is None:
        return decode(RECORD_TYPE[kind], _current(session, record_id).document)
    for row in _rows(session, record_id):
        if row.version == version:
            return decode(RECORD_TYPE[kind], row.document)
    raise RecordNotFoundError("no such version of this record")


def history(session: Session, *, record_id: str) -> list[JsonRecord]:
    """Every version of a record, oldest first."""
    kind = kind_of_record_id(record_id)
    rows = _rows(session, record_id)
    if not rows:
        raise RecordNotFoundError("no civil record with this identifier")
    return [decode(RECORD_TYPE[kind], row.document) for row in rows]


def records_about(session: Session, *, person_id: PersonId) -> list[JsonRecord]:
    """Current versions of the records naming a person as subject or second party."""
    pid = person_id.value
    rows = session.scalars(
        select(CivilRecord)
        .where(
            CivilRecord.is_current, (CivilRecord.subject_id == pid) | (CivilRecord.other_id == pid)
        )
        .order_by(CivilRecord.event_date, CivilRecord.record_id)
    )
    return [decode(RECORD_TYPE[RecordKind(row.kind)], row.document) for row in rows]


def record_columns(kind: RecordKind, data: Mapping[str, Any]) -> dict[str, Any]:
    """The indexed columns of a civil_records row for a record in JSON form."""
    other = _OTHER[kind]
    return {
        "record_id": data["recordId"],
        "version": data["version"],
        "kind": kind.value,
        "state": data["state"],
        "subject_id": data[_SUBJECT[kind]],
        "other_id": data.get(other) if other else None,
        "event_date": date.fromisoformat(data[_EVENT_DATE[kind]]),
        "is_current": True,
    }


def _store(session: Session, kind: RecordKind, data: Mapping[str, Any]) -> JsonRecord:
    stored, document = encode(RECORD_TYPE[kind], data)
    session.add(CivilRecord(**record_columns(kind, stored), document=document))
    session.flush()
    return stored


def _check_consistent(
    session: Session, kind: RecordKind, data: Mapping[str, Any], *, correcting: bool = False
) -> None:
    if kind is RecordKind.birth:
        if not correcting and _person_row(session, data["childId"]) is not None:
            raise InconsistentRecordError("the child's identifier is already registered")
        for key, sex in (("motherId", "F"), ("fatherId", "M")):
            if key in data:
                parent = _living_person(session, data[key], on=data["birthDate"], what=key)
                if parent.sex != sex:
                    raise InconsistentRecordError(f"{key} names a person of the wrong sex")
    elif kind is RecordKind.death:
        person = _existing_person(session, data["personId"], "personId")
        if person.birth_date > date.fromisoformat(data["deathDate"]):
            raise InconsistentRecordError("the death date is before the birth date")
        if person.death_date is not None and not correcting:
            raise InconsistentRecordError("this person's death is already registered")
    else:
        if data["spouseAId"] == data["spouseBId"]:
            raise InconsistentRecordError("a person cannot marry themself")
        for key in ("spouseAId", "spouseBId"):
            _living_person(session, data[key], on=data["marriageDate"], what=key)


def _apply_registration(
    session: Session, kind: RecordKind, data: Mapping[str, Any], *, correcting: bool = False
) -> None:
    if kind is RecordKind.birth:
        person = {
            "personId": data["childId"],
            "name": data["childName"],
            "sex": data["sex"],
            "birthDate": data["birthDate"],
            "birthDistrict": data["birthDistrict"],
            **{key: data[key] for key in ("motherId", "fatherId") if key in data},
            "nationality": "LAO",
        }
        if correcting:
            row = _existing_person(session, data["childId"], "childId")
            current = decode("Person", row.document)
            person["nationality"] = current["nationality"]
            if "deathDate" in current:
                person["deathDate"] = current["deathDate"]
            _rewrite_person(session, row, person)
        else:
            add_person(session, person=person)
    elif kind is RecordKind.death:
        row = _existing_person(session, data["personId"], "personId")
        person = decode("Person", row.document)
        person["deathDate"] = data["deathDate"]
        _rewrite_person(session, row, person)


def _rewrite_person(session: Session, row: CivilPerson, person: Mapping[str, Any]) -> None:
    data, document = encode("Person", person)
    session.execute(
        update(CivilPerson)
        .where(CivilPerson.id == row.id)
        .values(**person_columns(data), document=document)
    )
    session.expire(row)


def _unused_person_id(session: Session, district: str, rng: random.Random | None) -> str:
    source = rng or random.SystemRandom()
    province = int(district[:2]) if district[:2].isdigit() and 1 <= int(district[:2]) <= 18 else 1
    while True:
        candidate = PersonId.issue(province=province, serial=source.randrange(10**9)).value
        if _person_row(session, candidate) is None:
            return candidate


def _person_row(session: Session, person_id: str) -> CivilPerson | None:
    return session.scalar(select(CivilPerson).where(CivilPerson.person_id == person_id))


def _existing_person(session: Session, person_id: str, what: str) -> CivilPerson:
    row = _person_row(session, person_id)
    if row is None:
        raise InconsistentRecordError(f"{what} names a person who is not registered")
    return row


def _living_person(session: Session, person_id: str, *, on: str, what: str) -> CivilPerson:
    row = _existing_person(session, person_id, what)
    if row.death_date is not None and row.death_date < date.fromisoformat(on):
        raise InconsistentRecordError(f"{what} names a person who had died by then")
    return row


def _rows(session: Session, record_id: str) -> list[CivilRecord]:
    return list(
        session.scalars(
            select(CivilRecord)
            .where(CivilRecord.record_id == record_id)
            .order_by(CivilRecord.version)
        )
    )


def _current(session: Session, record_id: str) -> CivilRecord:
    row = session.scalar(
        select(CivilRecord).where(CivilRecord.record_id == record_id, CivilRecord.is_current)
    )
    if row is None:
        raise RecordNotFoundError("no civil record with this identifier")
    return row
