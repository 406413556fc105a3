"""One valid JSON example per record type, and invalid variants of each."""

from __future__ import annotations

import copy
from typing import Any

NAME = {
    "familyName": "ພົມມະວົງ",
    "givenName": "ສົມສັກ",
    "familyNameRoman": "Phommavong",
    "givenNameRoman": "Somsak",
}
ADDRESS = {
    "provinceCode": "01",
    "districtCode": "0101",
    "villageCode": "0101001",
    "villageName": "ໂພນໄຊ",
    "villageNameRoman": "Phonxay",
    "houseNumber": "12A",
}
PERSON_A = "011234567890"
PERSON_B = "020000000016"

VALID: dict[str, dict[str, Any]] = {
    "Person": {
        "personId": PERSON_A,
        "name": NAME,
        "sex": "M",
        "birthDate": "1980-02-03",
        "birthDistrict": "0101",
        "motherId": PERSON_B,
        "nationality": "LAO",
    },
    "BirthRecord": {
        "recordId": "BR0000000001",
        "version": 1,
        "state": "certified",
        "declaredOn": "2020-01-05",
        "registeredOn": "2020-01-06",
        "certificateNumber": "BC-2020-00000001",
        "childId": PERSON_A,
        "childName": NAME,
        "sex": "M",
        "birthDate": "2020-01-01",
        "birthDistrict": "0101",
        "motherId": PERSON_B,
    },
    "DeathRecord": {
        "recordId": "DR0000000001",
        "version": 2,
        "state": "registered",
        "declaredOn": "2021-01-05",
        "registeredOn": "2021-01-06",
        "correctionReason": "date misread",
        "personId": PERSON_A,
        "deathDate": "2021-01-01",
        "deathDistrict": "1301",
        "causeCode": "I21.9",
    },
    "MarriageRecord": {
        "recordId": "MR0000000001",
        "version": 1,
        "state": "declared",
        "declaredOn": "2019-05-01",
        "spouseAId": PERSON_A,
        "spouseBId": PERSON_B,
        "marriageDate": "2019-04-30",
        "marriageDistrict": "0601",
    },
    "Household": {
        "householdId": "HH0000000001",
        "version": 1,
        "headId": PERSON_A,
        "address": ADDRESS,
        "members": {
            "member": [
                {"personId": PERSON_A, "relationship": "head", "since": "2010-01-01"},
                {"personId": PERSON_B, "relationship": "spouse", "since": "2010-01-01"},
            ]
        },
    },
    "Residence": {
        "personId": PERSON_A,
        "version": 1,
        "address": ADDRESS,
        "validFrom": "2010-01-01",
        "householdId": "HH0000000001",
    },
    "BusinessRegistration": {
        "registrationNumber": "BZ0000000001",
        "version": 1,
        "name": "ຮ້ານ ອາຫານ",
        "nameRoman": "Phonxay Noodle Shop",
        "legalForm": "sole-enterprise",
        "sector": "I",
        "ownerId": PERSON_A,
        "address": ADDRESS,
        "registeredOn": "2015-03-01",
        "status": "active",
    },
    "TaxpayerRecord": {
        "tin": "1234567890",
        "version": 1,
        "registrationNumber": "BZ0000000001",
        "nameRoman": "Phonxay Noodle Shop",
        "taxOffice": "0101",
        "registeredOn": "2015-03-02",
        "status": "active",
    },
    "ChildAllowanceCase": {
        "caseId": "CA0000000001",
        "version": 1,
        "childId": PERSON_A,
        "guardianId": PERSON_B,
        "openedOn": "2020-01-07",
        "status": "open",
        "monthlyAmountKip": 150000,
        "sourceEvent": "birth BR0000000001",
    },
    "ImmunisationSchedule": {
        "scheduleId": "IS0000000001",
        "version": 1,
        "personId": PERSON_A,
        "birthDate": "2020-01-01",
        "doses": {
            "dose": [
                {
                    "vaccine": "BCG",
                    "doseNumber": 1,
                    "dueOn": "2020-01-01",
                    "givenOn": "2020-01-02",
                    "status": "given",
                },
                {"vaccine": "MR", "doseNumber": 1, "dueOn": "2020-09-27", "status": "due"},
            ]
        },
    },
    "SchoolEnrolmentForecast": {
        "districtCode": "0101",
        "schoolYear": "2026-2027",
        "level": "primary-1",
        "expectedChildren": 1520,
        "updatedOn": "2020-01-07",
    },
    "Application": {
        "applicationId": "AP0000000001",
        "centre": "LA/GOV/MOHA-ODSC-VTE",
        "service": "LA/GOV/MOLSW/welfare/childAllowance/v1",
        "applicantId": PERSON_B,
        "purpose": "child-allowance",
        "consentId": "c0nsent-0001",
        "submittedAt": "2020-01-07T10:00:00+07:00",
        "fields": {"field": [{"name": "bank-account", "value": "BCEL 0101-1234"}]},
    },
}


def _set(data: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    result = copy.deepcopy(data)
    target = result
    keys = path.split(".")
    for key in keys[:-1]:
        target = target[key]
    if value is _DELETE:
        del target[keys[-1]]
    else:
        target[keys[-1]] = value
    return result


_DELETE = object()

# (record type, dotted path, bad value or deletion): each one breaks exactly one rule.
INVALID: list[tuple[str, str, Any]] = [
    ("Person", "personId", "191234567890"),
    ("Person", "name.familyName", "Phommavong"),
    ("Person", "name.givenNameRoman", "ສົມສັກ"),
    ("Person", "sex", "X"),
    ("Person", "birthDate", "1980-13-03"),
    ("Person", "nationality", _DELETE),
    ("BirthRecord", "state", "approved"),
    ("BirthRecord", "version", 0),
    ("BirthRecord", "certificateNumber", "BC-20-1"),
    ("DeathRecord", "causeCode", "heart attack"),
    ("MarriageRecord", "spouseBId", _DELETE),
    ("Household", "members.member", []),
    ("Household", "address.provinceCode", "19"),
    ("Residence", "address.villageCode", "01010"),
    ("BusinessRegistration", "legalForm", "llc"),
    ("BusinessRegistration", "sector", "Z"),
    ("TaxpayerRecord", "tin", "12345"),
    ("ChildAllowanceCase", "monthlyAmountKip", -5),
    (
        "ImmunisationSchedule",
        "doses.dose",
        [{"vaccine": "Polio", "doseNumber": 1, "dueOn": "2020-01-01", "status": "due"}],
    ),
    ("SchoolEnrolmentForecast", "schoolYear", "2026"),
    ("Application", "submittedAt", "2020-01-07T10:00:00"),
    ("Application", "centre", "not an x-road id"),
]


def invalid_example(record_type: str, path: str, value: Any) -> dict[str, Any]:
    return _set(VALID[record_type], path, value)
