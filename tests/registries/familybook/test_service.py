"""Households keep one head, unique members, and a new version on every change."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.orm import Session

from registries.errors import DuplicateRecordError, InconsistentRecordError, RecordNotFoundError
from registries.familybook import service as familybook
from schemas.errors import SchemaInvalidError
from schemas.identifiers import PersonId
from tests.schemas.examples import ADDRESS

HEAD = PersonId.issue(province=1, serial=10)
SPOUSE = PersonId.issue(province=1, serial=11)
CHILD = PersonId.issue(province=1, serial=12)


def _household(household_id: str = "HH0000000001") -> dict[str, object]:
    return {
        "householdId": household_id,
        "version": 1,
        "headId": HEAD.value,
        "address": ADDRESS,
        "members": {
            "member": [
                {"personId": HEAD.value, "relationship": "head", "since": "2010-01-01"},
                {"personId": SPOUSE.value, "relationship": "spouse", "since": "2010-01-01"},
            ]
        },
    }


def test_household_by_id_and_by_member(db_session: Session) -> None:
    familybook.create_household(db_session, household=_household())
    assert familybook.household_of(db_session, person_id=SPOUSE)["householdId"] == "HH0000000001"
    with pytest.raises(RecordNotFoundError):
        familybook.household_of(db_session, person_id=CHILD)


def test_adding_and_removing_members_versions_the_household(db_session: Session) -> None:
    familybook.create_household(db_session, household=_household())
    added = familybook.add_member(
        db_session,
        household_id="HH0000000001",
        person_id=CHILD,
        relationship="child",
        since=date(2025, 2, 20),
    )
    assert added["version"] == 2
    assert familybook.household_of(db_session, person_id=CHILD)["version"] == 2
    removed = familybook.remove_member(db_session, household_id="HH0000000001", person_id=CHILD)
    assert removed["version"] == 3
    with pytest.raises(InconsistentRecordError):
        familybook.remove_member(db_session, household_id="HH0000000001", person_id=HEAD)


def test_a_person_belongs_to_one_household(db_session: Session) -> None:
    familybook.create_household(db_session, household=_household())
    with pytest.raises(InconsistentRecordError):
        familybook.create_household(db_session, household=_household("HH0000000002"))
    with pytest.raises(DuplicateRecordError):
        familybook.create_household(db_session, household=_household())


def test_household_must_name_its_head_and_relationships(db_session: Session) -> None:
    two_heads = _household()
    two_heads["members"] = {
        "member": [
            {"personId": HEAD.value, "relationship": "head", "since": "2010-01-01"},
            {"personId": SPOUSE.value, "relationship": "head", "since": "2010-01-01"},
        ]
    }
    with pytest.raises(InconsistentRecordError):
        familybook.create_household(db_session, household=two_heads)
    cousin = _household()
    cousin["members"]["member"][1]["relationship"] = "cousin"  # type: ignore[index]
    with pytest.raises(SchemaInvalidError):
        familybook.create_household(db_session, household=cousin)
