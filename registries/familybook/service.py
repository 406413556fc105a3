"""Family-book service: households, their members and each member's relationship to the head."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from registries.documents import decode, encode
from registries.errors import DuplicateRecordError, InconsistentRecordError, RecordNotFoundError
from registries.familybook.models import FamilybookHousehold, FamilybookMember
from schemas.codec import JsonRecord
from schemas.identifiers import PersonId

RECORD_TYPE = "Household"


def create_household(session: Session, *, household: Mapping[str, Any]) -> JsonRecord:
    """Open a household from a Household record; each person belongs to one household."""
    data, document = encode(RECORD_TYPE, household)
    if _row(session, data["householdId"]) is not None:
        raise DuplicateRecordError("a household with this identifier exists")
    _check_members(session, data)
    session.add(FamilybookHousehold(**household_columns(data), document=document))
    session.flush()
    session.execute(insert(FamilybookMember), member_rows(data))
    return data


def household_columns(data: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "household_id": data["householdId"],
        "head_id": data["headId"],
        "village_code": data["address"]["villageCode"],
        "version": data["version"],
    }


def member_rows(data: Mapping[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "household_id": data["householdId"],
            "person_id": member["personId"],
            "relationship": member["relationship"],
        }
        for member in data["members"]["member"]
    ]


def get_household(session: Session, *, household_id: str) -> JsonRecord:
    row = _row(session, household_id)
    if row is None:
        raise RecordNotFoundError("no household with this identifier")
    return decode(RECORD_TYPE, row.document)


def household_of(session: Session, *, person_id: PersonId) -> JsonRecord:
    """The household a person belongs to."""
    household_id = session.scalar(
        select(FamilybookMember.household_id).where(FamilybookMember.person_id == person_id.value)
    )
    if household_id is None:
        raise RecordNotFoundError("this person is in no household")
    return get_household(session, household_id=household_id)


def add_member(
    session: Session,
    *,
    household_id: str,
    person_id: PersonId,
    relationship: str,
    since: date,
) -> JsonRecord:
    """Add a person to a household (a new version of its record)."""
    data = get_household(session, household_id=household_id)
    data["members"]["member"].append(
        {"personId": person_id.value, "relationship": relationship, "since": since.isoformat()}
    )
    return _replace(session, data)


def remove_member(session: Session, *, household_id: str, person_id: PersonId) -> JsonRecord:
    """Take a person out of a household (a new version); the head cannot be removed."""
    data = get_household(session, household_id=household_id)
    if data["headId"] == person_id.value:
        raise InconsistentRecordError("the head of a household cannot be removed")
    members = [m for m in data["members"]["member"] if m["personId"] != person_id.value]
    if len(members) == len(data["members"]["member"]):
        raise RecordNotFoundError("this person is not a member of the household")
    data["members"]["member"] = members
    return _replace(session, data)


def move_household(
    session: Session, *, household_id: str, address: Mapping[str, Any]
) -> JsonRecord:
    """Record that a whole household lives at a new address (a new version of its record)."""
    data = get_household(session, household_id=household_id)
    data["address"] = dict(address)
    row = _row(session, household_id)
    assert row is not None
    row.village_code = data["address"]["villageCode"]
    return _replace(session, data)


def _replace(session: Session, data: dict[str, Any]) -> JsonRecord:
    row = _row(session, data["householdId"])
    assert row is not None
    data["version"] = row.version + 1
    stored, document = encode(RECORD_TYPE, data)
    row.version = stored["version"]
    row.document = document
    session.execute(
        delete(FamilybookMember).where(FamilybookMember.household_id == row.household_id)
    )
    session.flush()
    _check_members(session, stored)
    session.execute(insert(FamilybookMember), member_rows(stored))
    return stored


def _check_members(session: Session, data: Mapping[str, Any]) -> None:
    ids = [member["personId"] for member in data["members"]["member"]]
    if len(set(ids)) != len(ids):
        raise InconsistentRecordError("a person is listed twice in the household")
    heads = [m for m in data["members"]["member"] if m["relationship"] == "head"]
    if len(heads) != 1 or heads[0]["personId"] != data["headId"]:
        raise InconsistentRecordError("a household has exactly one head, named by headId")
    taken = session.scalar(
        select(FamilybookMember.person_id).where(FamilybookMember.person_id.in_(ids)).limit(1)
    )
    if taken is not None:
        raise InconsistentRecordError("a member already belongs to another household")


def _row(session: Session, household_id: str) -> FamilybookHousehold | None:
    return session.scalar(
        select(FamilybookHousehold).where(FamilybookHousehold.household_id == household_id)
    )
