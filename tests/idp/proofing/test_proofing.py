"""Identity proofing from the attacker's side: wrong facts, the dead, non-officers, no residue."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from idp.accounts.errors import AccountExistsError, NotPermittedError, PasswordRejectedError
from idp.accounts.levels import AssuranceLevel
from idp.accounts.models import Account
from idp.accounts.rights import AccountKind
from idp.proofing.assurance import EvidenceType, ProofingMethod, assurance_for
from idp.proofing.errors import (
    IdentityMismatchError,
    InsufficientEvidenceError,
    PersonDeceasedError,
    PersonNotFoundError,
)
from idp.proofing.matching import ClaimedIdentity, match_person
from idp.proofing.models import ProofingRecord
from idp.proofing.service import create_citizen_account, self_register_citizen
from tests.idp.accounts.support import (
    CHEAP_HASHER,
    DECEASED,
    NOW,
    PASSWORD,
    SOMCHAI,
    account,
    officer,
    registry,
)

CLAIM = ClaimedIdentity(
    person_id="la0101198500123",
    date_of_birth=date(1985, 1, 1),
    given_name_lo="ສົມໃຈ",
    family_name_lo="ພົມມະວົງ",
    given_name_latin="SOMCHAI",
    family_name_latin="phommavong",
)
ID_CARD = (EvidenceType.NATIONAL_ID_CARD,)


def counts(session: Session) -> tuple[int, int]:
    accounts = session.execute(select(func.count()).select_from(Account)).scalar_one()
    records = session.execute(select(func.count()).select_from(ProofingRecord)).scalar_one()
    return accounts, records


def enrol(session: Session, officer_id: int, claim: ClaimedIdentity = CLAIM,
          evidence: tuple[EvidenceType, ...] = ID_CARD, password: str = PASSWORD) -> Account:
    return create_citizen_account(
        session, registry=registry(), officer_id=officer_id, claim=claim, evidence=evidence,
        password=password, now=NOW, hasher=CHEAP_HASHER,
    )


def test_officer_enrols_a_citizen_and_the_check_is_recorded(db_session: Session) -> None:
    clerk = officer(db_session)
    citizen = enrol(db_session, clerk.id)
    assert citizen.kind == AccountKind.CITIZEN
    assert citizen.person_id == SOMCHAI.person_id
    assert citizen.login == SOMCHAI.person_id.casefold()
    assert citizen.assurance_level == AssuranceLevel.SUBSTANTIAL
    record = db_session.execute(select(ProofingRecord)).scalar_one()
    assert (record.account_id, record.officer_id, record.centre_id) == (
        citizen.id, clerk.id, clerk.centre_id
    )
    assert (record.method, record.evidence, record.checked_at) == ("in_person",
                                                                  "national_id_card", NOW)


@pytest.mark.parametrize(
    "wrong",
    [
        {"given_name_latin": "Somchay"},
        {"family_name_lo": "ພົມມະວົງສ"},
        {"date_of_birth": date(1985, 1, 2)},
    ],
)
def test_mismatch_is_refused_and_nothing_is_written(db_session: Session, wrong: dict) -> None:
    clerk = officer(db_session)
    before = counts(db_session)
    with pytest.raises(IdentityMismatchError) as caught:
        enrol(db_session, clerk.id, replace(CLAIM, **wrong))
    assert caught.value.code == "identity_mismatch"
    assert caught.value.fields == tuple(wrong)
    assert counts(db_session) == before


def test_deceased_and_unknown_persons_cannot_be_enrolled(db_session: Session) -> None:
    clerk = officer(db_session)
    before = counts(db_session)
    dead = ClaimedIdentity(
        person_id=DECEASED.person_id, date_of_birth=DECEASED.date_of_birth,
        given_name_latin=DECEASED.given_name_latin, family_name_latin=DECEASED.family_name_latin,
    )
    with pytest.raises(PersonDeceasedError):
        enrol(db_session, clerk.id, dead)
    with pytest.raises(PersonNotFoundError):
        enrol(db_session, clerk.id, replace(CLAIM, person_id="LA9999999999999"))
    assert counts(db_session) == before


def test_only_an_officer_of_a_centre_can_enrol(db_session: Session) -> None:
    citizen = account(db_session, login="curious.citizen")
    operator = account(db_session, login="ops.one", kind=AccountKind.OPERATOR)
    clerk = officer(db_session)
    clerk.active = False
    before = counts(db_session)
    for actor in (citizen, operator, clerk):
        with pytest.raises(NotPermittedError):
            enrol(db_session, actor.id)
    assert counts(db_session) == before


def test_levels_follow_the_evidence(db_session: Session) -> None:
    citizen = enrol(
        db_session, officer(db_session).id,
        evidence=(EvidenceType.PASSPORT, EvidenceType.BIOMETRIC_MATCH),
    )
    assert citizen.assurance_level == AssuranceLevel.HIGH
    assert assurance_for(ProofingMethod.IN_PERSON, [EvidenceType.FAMILY_BOOK]) == "low"
    assert assurance_for(ProofingMethod.REMOTE, [EvidenceType.CHIP_VERIFIED]) == "low"
    with pytest.raises(InsufficientEvidenceError):
        assurance_for(ProofingMethod.IN_PERSON, [])


def test_self_registration_is_low_and_cannot_duplicate_a_person(db_session: Session) -> None:
    citizen = self_register_citizen(
        db_session, registry=registry(), claim=CLAIM, password=PASSWORD, now=NOW,
        login="somchai.p", hasher=CHEAP_HASHER,
    )
    assert citizen.assurance_level == AssuranceLevel.LOW
    record = db_session.execute(select(ProofingRecord)).scalar_one()
    assert (record.method, record.officer_id, record.centre_id) == ("remote", None, None)
    with pytest.raises(AccountExistsError):
        enrol(db_session, officer(db_session).id)


def test_password_built_from_the_citizens_name_is_refused(db_session: Session) -> None:
    clerk = officer(db_session)
    before = counts(db_session)
    with pytest.raises(PasswordRejectedError):
        enrol(db_session, clerk.id, password="Somchai1985")
    assert counts(db_session) == before


def test_lao_names_match_in_any_canonical_order_and_latin_in_any_case() -> None:
    # ບຸ່ with the tone mark typed before the vowel: canonically equivalent after NFC.
    facts = replace(SOMCHAI, given_name_lo="\u0e9a\u0eb8\u0ec8\u0e99")
    claim = replace(CLAIM, given_name_lo="\u0e9a\u0ec8\u0eb8\u0e99",
                    family_name_latin="  PHOMMAVONG ")
    match_person(claim, facts)
    with pytest.raises(IdentityMismatchError):
        match_person(replace(claim, given_name_lo=None, given_name_latin=None), facts)
