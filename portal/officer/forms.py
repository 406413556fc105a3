"""The officer's forms, checked field by field so each mistake is shown next to its field."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache

from portal.i18n import N_
from portal.officer.link import BirthDeclaration
from registries.seed.places import Province, districts_by_code, provinces
from schemas.errors import InvalidPersonIdError
from schemas.identifiers import PersonId

# The name patterns of schemas/common/common-1.xsd (LaoName, RomanName), at most 80 characters.
LAO_NAME = re.compile(r"[\u0e80-\u0eff]+( [\u0e80-\u0eff]+)*")
ROMAN_NAME = re.compile(r"[A-Z][A-Za-z'\-]*( [A-Za-z][A-Za-z'\-]*)*")
MAX_NAME = 80
EARLIEST_BIRTH = date(1900, 1, 1)
BIRTH_FIELDS = (
    "given_name", "family_name", "given_name_roman", "family_name_roman", "sex", "birth_date",
    "district", "mother_id", "father_id",
)


class BirthFormInvalid(Exception):  # noqa: N818 - a result carrier, not an error the user sees
    """The form's field errors (msgids), shown beside the fields."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("birth form invalid")
        self.errors = errors


@dataclass(frozen=True)
class PlaceChoice:
    code: str
    label: str


@cache
def all_provinces() -> tuple[Province, ...]:
    return provinces()


def district_choices(language: str) -> list[tuple[str, list[PlaceChoice]]]:
    """Districts grouped by province, labelled in the reader's language (Lao or romanised)."""
    return [
        (
            province.name if language == "lo" else province.name_roman,
            [PlaceChoice(d.code, d.name_roman) for d in province.districts],
        )
        for province in all_provinces()
    ]


def parse_person_id(text: str) -> PersonId:
    """The identifier typed by the officer; raises InvalidPersonIdError."""
    return PersonId.parse(text.strip())


def _name(value: str, pattern: re.Pattern[str]) -> str | None:
    value = " ".join(value.split())
    return value if len(value) <= MAX_NAME and pattern.fullmatch(value) else None


def _person(value: str, *, required: bool) -> PersonId | str | None:
    if not value.strip():
        return N_("Enter the person identifier.") if required else None
    try:
        return parse_person_id(value)
    except InvalidPersonIdError:
        return N_("This is not a valid person identifier.")


def parse_birth(form: Mapping[str, str], *, today: date) -> BirthDeclaration:
    """A BirthDeclaration, or BirthFormInvalid with one message per wrong field."""
    errors: dict[str, str] = {}
    names: dict[str, str] = {}
    for field, pattern in (
        ("given_name", LAO_NAME), ("family_name", LAO_NAME),
        ("given_name_roman", ROMAN_NAME), ("family_name_roman", ROMAN_NAME),
    ):
        parsed = _name(form.get(field, ""), pattern)
        if parsed is None:
            errors[field] = (
                N_("Write the name in Lao script.") if pattern is LAO_NAME
                else N_("Write the name in Latin letters, starting with a capital.")
            )
        else:
            names[field] = parsed
    sex = form.get("sex", "")
    if sex not in ("F", "M"):
        errors["sex"] = N_("Choose the child's sex.")
    born: date | None = None
    try:
        born = date.fromisoformat(form.get("birth_date", "").strip())
    except ValueError:
        errors["birth_date"] = N_("Enter the date of birth.")
    if born is not None and not EARLIEST_BIRTH <= born <= today:
        errors["birth_date"] = N_("The date of birth cannot be in the future.")
    district = form.get("district", "")
    if district not in districts_by_code():
        errors["district"] = N_("Choose the district of birth.")
    mother = _person(form.get("mother_id", ""), required=True)
    father = _person(form.get("father_id", ""), required=False)
    for field, value in (("mother_id", mother), ("father_id", father)):
        if isinstance(value, str):
            errors[field] = value
    if isinstance(mother, PersonId) and isinstance(father, PersonId) and mother == father:
        errors["father_id"] = N_("The mother and the father must be different people.")
    if errors:
        raise BirthFormInvalid(errors)
    assert born is not None and isinstance(mother, PersonId)
    return BirthDeclaration(
        given_name=names["given_name"], family_name=names["family_name"],
        given_name_roman=names["given_name_roman"],
        family_name_roman=names["family_name_roman"], sex=sex, birth_date=born,
        district=district, mother_id=mother,
        father_id=father if isinstance(father, PersonId) else None,
    )
