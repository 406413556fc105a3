"""The seeder's people and the JSON records made from them, keys in schema order.

Records come out in the canonical form the schema codec decodes to, so ``build_element`` (the
fast lxml path) turns them into exactly the XML the registry services would store.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from registries.seed.names import Name
from registries.seed.places import District, Village

Record = tuple[str, dict[str, Any]]


@dataclass(slots=True)
class Human:
    """One synthetic person while their household is being made."""

    pid: str
    sex: str
    birth: date
    district: str
    family: Name
    given: Name
    mother: str | None = None
    father: str | None = None
    death: date | None = None


@dataclass(frozen=True, slots=True)
class Registration:
    """The lifecycle header of a civil record that reached registered or certified."""

    record_id: str
    state: str
    declared: date
    registered: date
    certificate: str | None

    def header(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "recordId": self.record_id,
            "version": 1,
            "state": self.state,
            "declaredOn": self.declared.isoformat(),
            "registeredOn": self.registered.isoformat(),
        }
        if self.certificate:
            data["certificateNumber"] = self.certificate
        return data


def person_name(human: Human) -> dict[str, str]:
    return {
        "familyName": human.family[0],
        "givenName": human.given[0],
        "familyNameRoman": human.family[1],
        "givenNameRoman": human.given[1],
    }


def person(human: Human) -> Record:
    data: dict[str, Any] = {
        "personId": human.pid,
        "name": person_name(human),
        "sex": human.sex,
        "birthDate": human.birth.isoformat(),
        "birthDistrict": human.district,
    }
    if human.mother:
        data["motherId"] = human.mother
    if human.father:
        data["fatherId"] = human.father
    data["nationality"] = "LAO"
    if human.death:
        data["deathDate"] = human.death.isoformat()
    return "Person", data


def birth(human: Human, registration: Registration) -> Record:
    data = registration.header()
    data.update(
        childId=human.pid,
        childName=person_name(human),
        sex=human.sex,
        birthDate=human.birth.isoformat(),
        birthDistrict=human.district,
    )
    if human.mother:
        data["motherId"] = human.mother
    if human.father:
        data["fatherId"] = human.father
    return "BirthRecord", data


def marriage(husband: Human, wife: Human, on: date, district: str, reg: Registration) -> Record:
    data = reg.header()
    data.update(
        spouseAId=husband.pid,
        spouseBId=wife.pid,
        marriageDate=on.isoformat(),
        marriageDistrict=district,
    )
    return "MarriageRecord", data


def death(
    human: Human, district: str, cause: str, informant: str | None, reg: Registration
) -> Record:
    assert human.death is not None
    data = reg.header()
    data.update(personId=human.pid, deathDate=human.death.isoformat(), deathDistrict=district)
    data["causeCode"] = cause
    if informant:
        data["informantId"] = informant
    return "DeathRecord", data


def address(district: District, village: Village, house_number: str | None) -> dict[str, str]:
    data = {
        "provinceCode": district.province_code,
        "districtCode": district.code,
        "villageCode": village.code,
        "villageName": village.name,
        "villageNameRoman": village.name_roman,
    }
    if house_number:
        data["houseNumber"] = house_number
    return data


def household(
    household_id: str, head: str, where: dict[str, str], members: list[tuple[str, str, date]]
) -> Record:
    return "Household", {
        "householdId": household_id,
        "version": 1,
        "headId": head,
        "address": where,
        "members": {
            "member": [
                {"personId": pid, "relationship": relationship, "since": since.isoformat()}
                for pid, relationship, since in members
            ]
        },
    }


def residence(
    pid: str, version: int, where: dict[str, str], valid_from: date, household_id: str | None
) -> Record:
    data: dict[str, Any] = {
        "personId": pid,
        "version": version,
        "address": where,
        "validFrom": valid_from.isoformat(),
    }
    if household_id:
        data["householdId"] = household_id
    return "Residence", data


def business(
    number: str,
    name: Name,
    legal_form: str,
    sector: str,
    owner: str,
    where: dict[str, str],
    registered: date,
    status: str,
) -> Record:
    return "BusinessRegistration", {
        "registrationNumber": number,
        "version": 1,
        "name": name[0],
        "nameRoman": name[1],
        "legalForm": legal_form,
        "sector": sector,
        "ownerId": owner,
        "address": where,
        "registeredOn": registered.isoformat(),
        "status": status,
    }


def taxpayer(
    tin: str, subject: tuple[str, str], name_roman: str, office: str, registered: date, status: str
) -> Record:
    key, value = subject
    return "TaxpayerRecord", {
        "tin": tin,
        "version": 1,
        key: value,
        "nameRoman": name_roman,
        "taxOffice": office,
        "registeredOn": registered.isoformat(),
        "status": status,
    }
