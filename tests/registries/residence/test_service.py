"""A move makes a new current residence and keeps the old one as history."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from registries.errors import InconsistentRecordError, RecordNotFoundError
from registries.residence import service as residence
from schemas.errors import InvalidPersonIdError, SchemaInvalidError
from schemas.identifiers import PersonId
from tests.schemas.examples import ADDRESS

PERSON = PersonId.issue(province=1, serial=20)
SAVANNAKHET = {
    **ADDRESS,
    "provinceCode": "13",
    "districtCode": "1301",
    "villageCode": "1301004",
    "villageNameRoman": "Nakham",
}


def test_move_keeps_history(db_session: Session) -> None:
    residence.set_residence(
        db_session,
        residence={"personId": PERSON.value, "address": ADDRESS, "validFrom": "2010-01-01"},
    )
    moved = residence.set_residence(
        db_session,
        residence={"personId": PERSON.value, "address": SAVANNAKHET, "validFrom": "2024-06-01"},
    )
    assert moved["version"] == 2
    current = residence.current_residence(db_session, person_id=PERSON)
    assert current["address"]["districtCode"] == "1301"
    history = residence.residence_history(db_session, person_id=PERSON)
    assert [h["address"]["provinceCode"] for h in history] == ["01", "13"]


def test_move_cannot_predate_current_address(db_session: Session) -> None:
    residence.set_residence(
        db_session,
        residence={"personId": PERSON.value, "address": ADDRESS, "validFrom": "2010-01-01"},
    )
    with pytest.raises(InconsistentRecordError):
        residence.set_residence(
            db_session,
            residence={"personId": PERSON.value, "address": SAVANNAKHET, "validFrom": "2009-01-01"},
        )


def test_bad_input_is_refused(db_session: Session) -> None:
    with pytest.raises(InvalidPersonIdError):
        residence.set_residence(
            db_session,
            residence={"personId": "011234567891", "address": ADDRESS, "validFrom": "2010-01-01"},
        )
    with pytest.raises(SchemaInvalidError):
        residence.set_residence(
            db_session,
            residence={
                "personId": PERSON.value,
                "address": {**ADDRESS, "provinceCode": "19"},
                "validFrom": "2010-01-01",
            },
        )
    with pytest.raises(RecordNotFoundError):
        residence.current_residence(db_session, person_id=PERSON)
