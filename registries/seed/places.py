"""Lao PDR's 18 provinces and 148 districts, and synthetic villages named like real ones.

Province codes follow the national statistics order (01 Vientiane Capital ... 18 Xaisomboun).
District codes are the province code and the district's position in the list below; they are
stable for the seeder but are not claimed to be the official codes. Village names are made of
the words real Lao village names are made of (``Phon`` hill, ``Nong`` pond, ``Na`` rice field
...), fixed per district independently of the population seed.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from functools import cache

VILLAGES_PER_DISTRICT = 12

# fmt: off
# (Lao name, romanised name, population in thousands (2015 census, rounded), districts)
_PROVINCES: tuple[tuple[str, str, int, tuple[str, ...]], ...] = (
    ("ນະຄອນຫຼວງວຽງຈັນ", "Vientiane Capital", 820, (
        "Chanthabuly", "Sikhottabong", "Xaysetha", "Sisattanak", "Naxaythong", "Xaythany",
        "Hadxayfong", "Sangthong", "Mayparkngum")),
    ("ຜົ້ງສາລີ", "Phongsaly", 178, (
        "Phongsaly", "May", "Khua", "Samphanh", "Boun Neua", "Nhot Ou", "Boun Tai")),
    ("ຫຼວງນ້ຳທາ", "Luang Namtha", 176, ("Namtha", "Sing", "Long", "Viengphoukha", "Nalae")),
    ("ອຸດົມໄຊ", "Oudomxay", 307, ("Xay", "La", "Namo", "Nga", "Beng", "Houn", "Pakbeng")),
    ("ບໍ່ແກ້ວ", "Bokeo", 180, ("Houayxay", "Tonpheung", "Meung", "Pha Oudom", "Paktha")),
    ("ຫຼວງພະບາງ", "Luang Prabang", 432, (
        "Luang Prabang", "Xiengngeun", "Nan", "Pak Ou", "Nambak", "Ngoy", "Pakxeng", "Phonxay",
        "Chomphet", "Viengkham", "Phoukhoune", "Phonthong")),
    ("ຫົວພັນ", "Houaphanh", 289, (
        "Xamneua", "Xiengkho", "Hiem", "Viengxay", "Houameuang", "Xamtay", "Sopbao", "Add",
        "Kuan", "Xone")),
    ("ໄຊຍະບູລີ", "Xayabury", 381, (
        "Xayabury", "Khop", "Hongsa", "Ngeun", "Xienghone", "Phiang", "Parklai", "Kenethao",
        "Botene", "Thongmyxay", "Xaysathan")),
    ("ຊຽງຂວາງ", "Xiengkhouang", 245, (
        "Pek", "Kham", "Nonghed", "Khoune", "Mok May", "Phoukout", "Phaxay")),
    ("ວຽງຈັນ", "Vientiane Province", 420, (
        "Phonhong", "Thoulakhom", "Keo Oudom", "Kasy", "Vangvieng", "Feuang", "Xanakham",
        "Mad", "Viengkham", "Hinhurp", "Meun")),
    ("ບໍລິຄຳໄຊ", "Bolikhamxay", 274, (
        "Paksane", "Thaphabath", "Pakkading", "Bolikhanh", "Khamkeuth", "Viengthong",
        "Xaychamphone")),
    ("ຄຳມ່ວນ", "Khammouane", 392, (
        "Thakhek", "Mahaxay", "Nongbok", "Hinboun", "Yommalath", "Boualapha", "Nakai",
        "Xebangfai", "Xaybouathong", "Khounkham")),
    ("ສະຫວັນນະເຂດ", "Savannakhet", 969, (
        "Kaysone Phomvihane", "Outhoumphone", "Atsaphangthong", "Phine", "Sepone", "Nong",
        "Thapangthong", "Songkhone", "Champhone", "Xonbuly", "Xaybouly", "Vilabouly",
        "Atsaphone", "Xayphouthong", "Phalanxay")),
    ("ສາລະວັນ", "Salavan", 397, (
        "Salavan", "Ta Oy", "Toumlane", "Lakhonpheng", "Vapy", "Khongxedone", "Lao Ngam",
        "Samouay")),
    ("ເຊກອງ", "Sekong", 113, ("Lamam", "Kaleum", "Dakcheung", "Thateng")),
    ("ຈຳປາສັກ", "Champasak", 695, (
        "Pakse", "Sanasomboun", "Bachiangchaleunsouk", "Paksong", "Pathoumphone", "Phonthong",
        "Champasak", "Sukhuma", "Mounlapamok", "Khong")),
    ("ອັດຕະປື", "Attapeu", 139, ("Xaysetha", "Samakkhixay", "Sanamxay", "Sanxay", "Phouvong")),
    ("ໄຊສົມບູນ", "Xaisomboun", 85, ("Anouvong", "Longchaeng", "Longxan", "Hom", "Thathom")),
)

# Words real village names are built from: (Lao, romanised).
_VILLAGE_HEADS: tuple[tuple[str, str], ...] = (
    ("ໂພນ", "Phon"), ("ໜອງ", "Nong"), ("ນາ", "Na"), ("ດອນ", "Don"), ("ຫ້ວຍ", "Houay"),
    ("ປາກ", "Pak"), ("ທົ່ງ", "Thong"), ("ສົບ", "Sop"), ("ດົງ", "Dong"), ("ຫາດ", "Hat"),
    ("ວັງ", "Vang"), ("ຊຽງ", "Xieng"), ("ໂນນ", "Non"), ("ບຶງ", "Beung"),
)
_VILLAGE_TAILS: tuple[tuple[str, str], ...] = (
    ("ໄຊ", "xay"), ("ສະຫວັນ", "savanh"), ("ຄຳ", "kham"), ("ງາມ", "ngam"), ("ທອງ", "thong"),
    ("ແກ້ວ", "keo"), ("ໃໝ່", "mai"), ("ເກົ່າ", "kao"), ("ໃຕ້", "tai"), ("ເໜືອ", "neua"),
    ("ແສງ", "seng"), ("ບອນ", "bone"), ("ເດື່ອ", "deua"), ("ຄູນ", "khoun"), ("ສຸກ", "souk"),
    ("ຈັນ", "chanh"), ("ມ່ວງ", "muang"), ("ຫົງ", "hong"),
)
# fmt: on


@dataclass(frozen=True, slots=True)
class Village:
    code: str
    name: str
    name_roman: str


@dataclass(frozen=True, slots=True)
class District:
    code: str
    name_roman: str
    villages: tuple[Village, ...]

    @property
    def province_code(self) -> str:
        return self.code[:2]


@dataclass(frozen=True, slots=True)
class Province:
    code: str
    name: str
    name_roman: str
    population_thousands: int
    districts: tuple[District, ...]


def _villages(district_code: str) -> tuple[Village, ...]:
    rng = random.Random(f"villages:{district_code}")
    pairs = rng.sample(
        [(head, tail) for head in _VILLAGE_HEADS for tail in _VILLAGE_TAILS], VILLAGES_PER_DISTRICT
    )
    return tuple(
        Village(f"{district_code}{number:03d}", head[0] + tail[0], head[1] + tail[1])
        for number, (head, tail) in enumerate(pairs, start=1)
    )


@cache
def provinces() -> tuple[Province, ...]:
    """The 18 provinces in national statistics order, each with its districts and villages."""
    result = []
    for index, (name, roman, population, district_names) in enumerate(_PROVINCES, start=1):
        code = f"{index:02d}"
        districts = tuple(
            District(f"{code}{number:02d}", district, _villages(f"{code}{number:02d}"))
            for number, district in enumerate(district_names, start=1)
        )
        result.append(Province(code, name, roman, population, districts))
    return tuple(result)


@cache
def districts_by_code() -> dict[str, District]:
    return {district.code: district for p in provinces() for district in p.districts}
