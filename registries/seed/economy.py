"""Enterprises and taxpayers for adults of the synthetic population."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from registries.seed import records
from registries.seed.dates import LAST_EVENT, REFERENCE_DATE, age_on, between, plus_years
from registries.seed.ids import IdSource
from registries.seed.records import Human, Record

BUSINESS_SHARE = 0.05
PERSONAL_TAXPAYER_SHARE = 0.12

# (ISIC section, Lao prefix, romanised prefix, named after the family, weight)
_SECTORS: tuple[tuple[str, str, str, bool, int], ...] = (
    ("G", "ຮ້ານຄ້າ", "Hankha", False, 40),
    ("I", "ຮ້ານອາຫານ", "Han Ahan", False, 18),
    ("A", "ສວນ", "Suan", False, 14),
    ("S", "ຮ້ານສ້ອມແປງ", "Han Sompaeng", False, 10),
    ("C", "ໂຮງງານ", "Hongngan", True, 6),
    ("F", "ບໍລິສັດ ກໍ່ສ້າງ", "Borisat Kosang", True, 7),
    ("H", "ບໍລິສັດ ຂົນສົ່ງ", "Borisat Khonsong", True, 5),
)
_SECTOR_WEIGHTS = [sector[4] for sector in _SECTORS]


class Economy:
    """Decides, person by person, who runs an enterprise and who is a registered taxpayer."""

    def __init__(self, rng: random.Random, ids: IdSource) -> None:
        self._rng = rng
        self._ids = ids

    def records_for(self, human: Human, where: dict[str, str]) -> list[Record]:
        if human.death is not None or age_on(human.birth, REFERENCE_DATE) < 20:
            return []
        roll = self._rng.random()
        if roll < BUSINESS_SHARE:
            return self._enterprise(human, where)
        if (
            roll < BUSINESS_SHARE + PERSONAL_TAXPAYER_SHARE
            and age_on(human.birth, REFERENCE_DATE) <= 60
        ):
            since = max(plus_years(human.birth, 20), date(2005, 1, 1))
            return [self._person_taxpayer(human, where["districtCode"], since)]
        return []

    def _enterprise(self, owner: Human, where: dict[str, str]) -> list[Record]:
        rng = self._rng
        sector, lao, roman, by_family, _ = rng.choices(_SECTORS, _SECTOR_WEIGHTS)[0]
        named = owner.family if by_family else owner.given
        name = (f"{lao} {named[0]}", f"{roman} {named[1]}")
        if roman.startswith("Borisat"):
            legal_form = "limited-company"
        elif sector == "A" and rng.random() < 0.3:
            legal_form = "cooperative"
        else:
            legal_form = "partnership" if rng.random() < 0.1 else "sole-enterprise"
        registered = between(rng, max(plus_years(owner.birth, 20), date(1995, 1, 1)), LAST_EVENT)
        status = rng.choices(("active", "suspended", "dissolved"), (85, 5, 10))[0]
        number = self._ids.record("BZ")
        office = where["districtCode"]
        result = [
            records.business(number, name, legal_form, sector, owner.pid, where, registered, status)
        ]
        filed = between(rng, registered, min(registered + timedelta(days=60), LAST_EVENT))
        tax_status = "active" if status == "active" else "inactive"
        result.append(
            records.taxpayer(
                self._ids.tin(), ("registrationNumber", number), name[1], office, filed, tax_status
            )
        )
        if legal_form == "sole-enterprise":
            result.append(self._person_taxpayer(owner, office, registered))
        return result

    def _person_taxpayer(self, human: Human, office: str, since: date) -> Record:
        rng = self._rng
        status = "active" if rng.random() < 0.9 else "inactive"
        name_roman = f"{human.given[1]} {human.family[1]}"
        subject: tuple[str, Any] = ("personId", human.pid)
        return records.taxpayer(
            self._ids.tin(), subject, name_roman, office, between(rng, since, LAST_EVENT), status
        )
