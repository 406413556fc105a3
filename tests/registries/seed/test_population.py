"""The generated population is deterministic, realistic in shape and consistent record by record."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date
from typing import Any

import pytest

from registries.seed.dates import REFERENCE_DATE, age_on
from registries.seed.names import FAMILY_NAMES, FEMALE_GIVEN_NAMES, MALE_GIVEN_NAMES
from registries.seed.places import districts_by_code, provinces
from registries.seed.population import PopulationGenerator
from schemas.codec import build_element
from schemas.identifiers import PersonId

PERSONS = 800

Records = list[tuple[str, dict[str, Any]]]


def generate(persons: int = PERSONS, seed: int = 7) -> Records:
    return [
        record
        for batch in PopulationGenerator(seed).households(persons)
        for record in batch.records
    ]


@pytest.fixture(scope="module")
def population() -> Records:
    return generate()


def by_type(records: Records) -> dict[str, list[dict[str, Any]]]:
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for name, data in records:
        grouped[name].append(data)
    return grouped


def day(text: str) -> date:
    return date.fromisoformat(text)


def test_same_seed_same_population_other_seed_other_population(population: Records) -> None:
    assert generate() == population
    assert generate(seed=8) != population


def test_exactly_the_requested_number_of_persons() -> None:
    for persons in (1, 2, 3, 5, 17, 101):
        assert Counter(name for name, _ in generate(persons))["Person"] == persons


def test_every_record_is_valid_against_its_schema(population: Records) -> None:
    for name, data in population:
        build_element(name, data)
    assert set(by_type(population)) >= {
        "Person", "BirthRecord", "MarriageRecord", "DeathRecord", "Household", "Residence",
        "BusinessRegistration", "TaxpayerRecord",
    }  # fmt: skip


def test_person_ids_are_valid_unique_and_name_the_birth_province(population: Records) -> None:
    persons = by_type(population)["Person"]
    ids = [PersonId.parse(person["personId"]) for person in persons]
    assert len(set(ids)) == len(ids)
    districts = districts_by_code()
    for pid, person in zip(ids, persons, strict=True):
        assert person["birthDistrict"] in districts
        assert pid.province == person["birthDistrict"][:2]
        assert 1 <= int(pid.province) <= 18


def test_households_list_existing_living_members_with_one_head(population: Records) -> None:
    grouped = by_type(population)
    persons = {person["personId"]: person for person in grouped["Person"]}
    seen: set[str] = set()
    for household in grouped["Household"]:
        members = household["members"]["member"]
        heads = [m for m in members if m["relationship"] == "head"]
        assert [m["personId"] for m in heads] == [household["headId"]]
        for member in members:
            person = persons[member["personId"]]
            assert "deathDate" not in person
            assert member["personId"] not in seen
            seen.add(member["personId"])
        address = household["address"]
        assert address["districtCode"] in districts_by_code()
        assert address["villageCode"].startswith(address["districtCode"])
    living = {pid for pid, person in persons.items() if "deathDate" not in person}
    assert seen == living


def test_parents_children_marriages_and_deaths_are_plausible(population: Records) -> None:
    grouped = by_type(population)
    persons = {person["personId"]: person for person in grouped["Person"]}
    married_on = {}
    for record in grouped["MarriageRecord"]:
        husband, wife = persons[record["spouseAId"]], persons[record["spouseBId"]]
        assert (husband["sex"], wife["sex"]) == ("M", "F")
        for spouse in (husband, wife):
            assert age_on(day(spouse["birthDate"]), day(record["marriageDate"])) >= 18
        married_on[(husband["personId"], wife["personId"])] = day(record["marriageDate"])
    after_marriage = 0
    children = [p for p in persons.values() if "motherId" in p and "fatherId" in p]
    for child in children:
        mother, father = persons[child["motherId"]], persons[child["fatherId"]]
        born = day(child["birthDate"])
        assert 18 <= age_on(day(mother["birthDate"]), born) <= 45
        assert age_on(day(father["birthDate"]), born) >= 18
        marriage = married_on.get((father["personId"], mother["personId"]))
        after_marriage += marriage is None or marriage <= born
    assert after_marriage >= 0.9 * len(children)
    for record in grouped["DeathRecord"]:
        person = persons[record["personId"]]
        assert person["deathDate"] == record["deathDate"]
        assert day(person["birthDate"]) < day(record["deathDate"]) < REFERENCE_DATE
    for name in ("BirthRecord", "MarriageRecord", "DeathRecord"):
        for record in grouped[name]:
            assert record["state"] in ("registered", "certified")
            assert ("certificateNumber" in record) == (record["state"] == "certified")
            assert day(record["declaredOn"]) <= day(record["registeredOn"]) < REFERENCE_DATE
    assert grouped["DeathRecord"] and children


def test_businesses_and_taxpayers_refer_to_adults_and_enterprises(population: Records) -> None:
    grouped = by_type(population)
    persons = {person["personId"]: person for person in grouped["Person"]}
    enterprises = {b["registrationNumber"] for b in grouped["BusinessRegistration"]}
    for enterprise in grouped["BusinessRegistration"]:
        owner = persons[enterprise["ownerId"]]
        assert age_on(day(owner["birthDate"]), day(enterprise["registeredOn"])) >= 20
    tins = [taxpayer["tin"] for taxpayer in grouped["TaxpayerRecord"]]
    assert len(set(tins)) == len(tins)
    for taxpayer in grouped["TaxpayerRecord"]:
        assert taxpayer.get("personId") in persons or taxpayer["registrationNumber"] in enterprises


def test_residences_end_at_the_household_address(population: Records) -> None:
    grouped = by_type(population)
    home = {
        member["personId"]: household
        for household in grouped["Household"]
        for member in household["members"]["member"]
    }
    newest: dict[str, dict[str, Any]] = {}
    for residence in grouped["Residence"]:
        current = newest.get(residence["personId"])
        if current is None or residence["version"] > current["version"]:
            newest[residence["personId"]] = residence
    assert set(newest) == set(home)
    for pid, residence in newest.items():
        assert residence["address"] == home[pid]["address"]
        assert residence["householdId"] == home[pid]["householdId"]


def test_real_provinces_and_districts_with_lao_names() -> None:
    regions = provinces()
    assert [p.code for p in regions] == [f"{n:02d}" for n in range(1, 19)]
    assert regions[0].name_roman == "Vientiane Capital"
    assert regions[17].name_roman == "Xaisomboun"
    assert sum(len(p.districts) for p in regions) == 148
    for province in regions:
        assert len(province.districts) >= 3
        names = [d.name_roman for d in province.districts]
        assert len(set(names)) == len(names)
        for district in province.districts:
            assert len({v.code for v in district.villages}) == len(district.villages)
    for name_list in (FAMILY_NAMES, MALE_GIVEN_NAMES, FEMALE_GIVEN_NAMES):
        assert len({lao for lao, _ in name_list}) == len(name_list)
