"""Helpers that put a few people in the civil registry for service tests."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from registries.civil import service as civil
from schemas.identifiers import PersonId


def name(given: str, given_roman: str) -> dict[str, str]:
    return {
        "familyName": "ພົມມະວົງ",
        "givenName": given,
        "familyNameRoman": "Phommavong",
        "givenNameRoman": given_roman,
    }


def add(session: Session, serial: int, sex: str, born: str, **extra: Any) -> PersonId:
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
            **extra,
        },
    )
    return pid
