"""Builders shared by the idp account, MFA and proofing tests."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy.orm import Session

from idp.accounts.hashing import Argon2Parameters, PasswordHasher
from idp.accounts.levels import AssuranceLevel
from idp.accounts.models import Account, Centre
from idp.accounts.rights import AccountKind
from idp.accounts.service import create_centre, new_account
from idp.proofing.registry import InMemoryCivilRegistry, LifeStatus, PersonFacts

NOW = datetime(2026, 1, 5, 9, 0, 0, tzinfo=UTC)
PASSWORD = "river boat at dawn"
# Production parameters are exercised in test_hashing; everything else runs cheaply.
CHEAP_HASHER = PasswordHasher(Argon2Parameters(memory_kib=8, iterations=1, parallelism=1))


def centre(session: Session, code: str = "VTE-01") -> Centre:
    return create_centre(
        session, code=code, name_lo="ສູນບໍລິການປະຕູດຽວ ນະຄອນຫຼວງ", name_en="Vientiane Capital ODSC",
        province="Vientiane Capital", now=NOW,
    )


def account(
    session: Session,
    *,
    login: str,
    kind: AccountKind = AccountKind.CITIZEN,
    level: AssuranceLevel = AssuranceLevel.SUBSTANTIAL,
    home: Centre | None = None,
    password: str = PASSWORD,
) -> Account:
    return new_account(
        session, kind=kind, login=login, display_name=f"Test {login}", password=password,
        assurance_level=level, now=NOW, centre=home, hasher=CHEAP_HASHER,
    )


def officer(session: Session, home: Centre | None = None, login: str = "officer.one") -> Account:
    return account(
        session, login=login, kind=AccountKind.OFFICER, home=home or centre(session)
    )


SOMCHAI = PersonFacts(
    person_id="LA0101198500123",
    given_name_lo="ສົມໃຈ",
    family_name_lo="ພົມມະວົງ",
    given_name_latin="Somchai",
    family_name_latin="Phommavong",
    date_of_birth=date(1985, 1, 1),
    status=LifeStatus.ALIVE,
)
DECEASED = PersonFacts(
    person_id="LA0202195000456",
    given_name_lo="ບຸນມີ",
    family_name_lo="ສີສະຫວາດ",
    given_name_latin="Bounmy",
    family_name_latin="Sisavath",
    date_of_birth=date(1950, 2, 2),
    status=LifeStatus.DECEASED,
)


def registry() -> InMemoryCivilRegistry:
    return InMemoryCivilRegistry([SOMCHAI, DECEASED])
