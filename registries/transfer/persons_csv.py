"""The fixed CSV layout of persons: one row per Person record, one column per field."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

COLUMNS: tuple[str, ...] = (
    "person_id",
    "family_name",
    "given_name",
    "family_name_roman",
    "given_name_roman",
    "sex",
    "birth_date",
    "birth_district",
    "mother_id",
    "father_id",
    "nationality",
    "death_date",
)
_OPTIONAL = {"mother_id": "motherId", "father_id": "fatherId"}


def person_row(person: Mapping[str, Any]) -> list[str]:
    """The CSV row of a Person record in JSON form (absent optional fields are empty)."""
    name = person["name"]
    return [
        person["personId"],
        name["familyName"],
        name["givenName"],
        name["familyNameRoman"],
        name["givenNameRoman"],
        person["sex"],
        person["birthDate"],
        person["birthDistrict"],
        person.get("motherId", ""),
        person.get("fatherId", ""),
        person["nationality"],
        person.get("deathDate", ""),
    ]


def person_from_row(row: Mapping[str, str]) -> dict[str, Any]:
    """A Person record in schema key order; empty optional cells are left out."""
    data: dict[str, Any] = {
        "personId": row["person_id"],
        "name": {
            "familyName": row["family_name"],
            "givenName": row["given_name"],
            "familyNameRoman": row["family_name_roman"],
            "givenNameRoman": row["given_name_roman"],
        },
        "sex": row["sex"],
        "birthDate": row["birth_date"],
        "birthDistrict": row["birth_district"],
    }
    for column, key in _OPTIONAL.items():
        if row[column]:
            data[key] = row[column]
    data["nationality"] = row["nationality"]
    if row["death_date"]:
        data["deathDate"] = row["death_date"]
    return data
