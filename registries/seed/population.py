"""Households one at a time: parents, children, grandparents, their records and addresses.

Everything comes from one ``random.Random(seed)`` and the fixed reference date, so a seed gives
the same population byte for byte; the generator holds one household at a time in memory.
Consistency kept by construction: parents are adults who married before most of their children
were born, mothers are 18-44 at each birth, nobody dies before an event they take part in,
a person id's province is the province of the birth district, and a household lists only its
living members.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta

from registries.seed import records
from registries.seed.dates import (
    CIVIL_RECORDS_FROM,
    LAST_EVENT,
    REFERENCE_DATE,
    age_on,
    between,
    born_aged,
    plus_years,
)
from registries.seed.economy import Economy
from registries.seed.ids import IdSource
from registries.seed.names import FAMILY_NAMES, FEMALE_GIVEN_NAMES, MALE_GIVEN_NAMES, Name
from registries.seed.places import District, Province, provinces
from registries.seed.records import Human, Record, Registration

# ICD-10 underlying causes common in Lao PDR's mortality statistics.
CAUSES = ("I21.9", "I64", "J18.9", "A09", "C22.0", "E14.9", "B54", "V89.2", "J44.9", "K74.6")
_KINDS = ("couple", "extended", "widowed", "single")
_KIND_WEIGHTS = (72, 14, 8, 6)
_BASE_SIZE = {"couple": 2, "extended": 4, "widowed": 2, "single": 1}
_CHILDREN_WEIGHTS = (10, 20, 27, 20, 12, 7, 4)  # 0 to 6 children
_CERTIFICATE_PREFIX = {"BR": "BC", "MR": "MC", "DR": "DC"}


@dataclass(frozen=True, slots=True)
class Batch:
    """One household's persons count and every record about it."""

    persons: int
    records: list[Record]


@dataclass
class _Household:
    humans: list[Human] = field(default_factory=list)
    members: list[tuple[Human, str, date]] = field(default_factory=list)
    events: list[Record] = field(default_factory=list)


class PopulationGenerator:
    """Yields households until exactly ``persons`` persons (living and dead) exist."""

    def __init__(self, seed: int) -> None:
        self._rng = random.Random(seed)
        self._ids = IdSource(self._rng)
        self._economy = Economy(self._rng, self._ids)
        self._provinces = provinces()
        self._weights = [province.population_thousands for province in self._provinces]

    def households(self, persons: int) -> Iterator[Batch]:
        remaining = persons
        while remaining > 0:
            batch = self._household(remaining)
            remaining -= batch.persons
            yield batch

    def _household(self, room: int) -> Batch:
        rng = self._rng
        district = rng.choice(rng.choices(self._provinces, self._weights)[0].districts)
        where = records.address(district, rng.choice(district.villages), self._house_number())
        kind = rng.choices(_KINDS, _KIND_WEIGHTS)[0]
        made = _Household()
        if _BASE_SIZE[kind] > room or kind == "single":
            head = self._human(made, rng.choice("MF"), born_aged(rng, 19, 40), self._far(district))
            made.members.append(
                (head, "head", between(rng, plus_years(head.birth, 18), LAST_EVENT))
            )
        else:
            self._family(made, kind, district, room - _BASE_SIZE[kind])
        household_id = self._ids.record("HH")
        out: list[Record] = []
        for human in made.humans:
            out.append(records.person(human))
            if human.birth >= CIVIL_RECORDS_FROM:
                out.append(records.birth(human, self._registration("BR", human.birth)))
        out.extend(made.events)
        members = [(h.pid, relationship, since) for h, relationship, since in made.members]
        out.append(records.household(household_id, members[0][0], where, members))
        for human, _, since in made.members:
            out.extend(self._residences(human, since, where, household_id))
            out.extend(self._economy.records_for(human, where))
        return Batch(len(made.humans), out)

    def _family(self, made: _Household, kind: str, district: District, room: int) -> None:
        rng = self._rng
        ages = (24, 50) if kind == "extended" else (22, 65)
        husband = self._human(made, "M", born_aged(rng, *ages), self._far(district))
        grandmother = self._grandparents(made, husband, district) if kind == "extended" else None
        latest = plus_years(REFERENCE_DATE, -19)
        wife_birth = min(between(rng, husband.birth, plus_years(husband.birth, 8)), latest)
        wife = self._human(made, "F", wife_birth, self._far(district))
        adult = max(plus_years(husband.birth, 18), plus_years(wife.birth, 18))
        married = between(rng, adult, min(plus_years(adult, 8), LAST_EVENT))
        self._marriage(made, husband, wife, married, district.code)
        children = self._children(made, husband, wife, married, district, room)
        last = max([married, *(child.birth for child in children)]) + timedelta(days=1)
        if kind == "widowed" and last < LAST_EVENT:
            husband.death = between(rng, last, LAST_EVENT)
            self._death(made, husband, district.code, wife.pid)
            made.members.append((wife, "head", married))
        else:
            made.members.append((husband, "head", married))
            made.members.append((wife, "spouse", married))
        for child in children:
            if rng.random() < 0.015 and child.birth < LAST_EVENT:
                child.death = between(
                    rng,
                    child.birth + timedelta(days=1),
                    min(plus_years(child.birth, 3), LAST_EVENT),
                )
                self._death(made, child, district.code, wife.pid)
                continue
            since = child.birth
            if child.district != district.code:
                since = between(
                    rng,
                    child.birth + timedelta(days=30),
                    min(child.birth + timedelta(days=365), LAST_EVENT),
                )
            made.members.append((child, "child", since))
        if grandmother is not None:
            made.members.append((grandmother, "parent", married))

    def _grandparents(self, made: _Household, head: Human, district: District) -> Human:
        rng = self._rng
        gm_birth = between(rng, plus_years(head.birth, -35), plus_years(head.birth, -19))
        grandfather = self._human(
            made,
            "M",
            between(rng, plus_years(gm_birth, -8), gm_birth),
            self._far(district),
            family=head.family,
        )
        grandmother = self._human(made, "F", gm_birth, self._far(district))
        married = between(rng, plus_years(gm_birth, 18), head.birth - timedelta(days=300))
        head.mother, head.father = grandmother.pid, grandfather.pid
        self._marriage(made, grandfather, grandmother, married, grandmother.district)
        grandfather.death = between(rng, plus_years(head.birth, 1), LAST_EVENT)
        informant = head if age_on(head.birth, grandfather.death) >= 18 else grandmother
        self._death(made, grandfather, district.code, informant.pid)
        return grandmother

    def _children(
        self,
        made: _Household,
        father: Human,
        mother: Human,
        married: date,
        district: District,
        room: int,
    ) -> list[Human]:
        rng = self._rng
        count = min(rng.choices(range(len(_CHILDREN_WEIGHTS)), _CHILDREN_WEIGHTS)[0], room)
        if rng.random() < 0.05:  # a few children are born before their parents marry
            born = between(
                rng, max(plus_years(mother.birth, 18), married - timedelta(days=365)), married
            )
        else:
            born = married + timedelta(days=rng.randrange(280, 1000))
        children: list[Human] = []
        for _ in range(count):
            if born > LAST_EVENT or age_on(mother.birth, born) > 44:
                break
            near = (
                district.code
                if rng.random() < 0.9
                else rng.choice(self._province_of(district).districts).code
            )
            children.append(
                self._human(
                    made,
                    rng.choice("MF"),
                    born,
                    near,
                    family=father.family,
                    mother=mother.pid,
                    father=father.pid,
                )
            )
            born += timedelta(days=rng.randrange(365, 1460))
        return children

    def _human(
        self,
        made: _Household,
        sex: str,
        birth: date,
        district: str,
        *,
        family: Name | None = None,
        mother: str | None = None,
        father: str | None = None,
    ) -> Human:
        rng = self._rng
        given = rng.choice(MALE_GIVEN_NAMES if sex == "M" else FEMALE_GIVEN_NAMES)
        human = Human(
            pid=self._ids.person(province=int(district[:2])),
            sex=sex,
            birth=birth,
            district=district,
            family=family or rng.choice(FAMILY_NAMES),
            given=given,
            mother=mother,
            father=father,
        )
        made.humans.append(human)
        return human

    def _marriage(self, made: _Household, a: Human, b: Human, on: date, district: str) -> None:
        if on >= CIVIL_RECORDS_FROM:
            made.events.append(records.marriage(a, b, on, district, self._registration("MR", on)))

    def _death(self, made: _Household, human: Human, district: str, informant: str) -> None:
        assert human.death is not None
        cause = self._rng.choice(CAUSES)
        registration = self._registration("DR", human.death)
        made.events.append(records.death(human, district, cause, informant, registration))

    def _residences(
        self, human: Human, since: date, where: dict[str, str], household_id: str
    ) -> list[Record]:
        if human.district == where["districtCode"] or since <= human.birth:
            return [records.residence(human.pid, 1, where, human.birth, household_id)]
        born_in = self._district(human.district)
        first = records.address(born_in, self._rng.choice(born_in.villages), self._house_number())
        return [
            records.residence(human.pid, 1, first, human.birth, None),
            records.residence(human.pid, 2, where, since, household_id),
        ]

    def _registration(self, prefix: str, event: date) -> Registration:
        rng = self._rng
        declared = event + timedelta(days=rng.randrange(1, 31))
        registered = declared + timedelta(days=rng.randrange(0, 8))
        certificate = None
        if rng.random() < 0.7:
            certificate = self._ids.certificate(_CERTIFICATE_PREFIX[prefix], registered.year)
        state = "certified" if certificate else "registered"
        return Registration(self._ids.record(prefix), state, declared, registered, certificate)

    def _far(self, district: District) -> str:
        """Where an adult was born: mostly the same province, sometimes anywhere."""
        rng = self._rng
        if rng.random() < 0.75:
            return rng.choice(self._province_of(district).districts).code
        return rng.choice(rng.choices(self._provinces, self._weights)[0].districts).code

    def _house_number(self) -> str | None:
        rng = self._rng
        if rng.random() < 0.3:
            return None
        return f"{rng.randrange(1, 400)}{'A' if rng.random() < 0.1 else ''}"

    def _province_of(self, district: District) -> Province:
        return self._provinces[int(district.province_code) - 1]

    def _district(self, code: str) -> District:
        return self._provinces[int(code[:2]) - 1].districts[int(code[2:]) - 1]
