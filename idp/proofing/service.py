"""Creating citizen accounts from a civil-registry match: at a centre, or online at "low"."""

from __future__ import annotations

import secrets
from collections.abc import Collection
from datetime import datetime

from sqlalchemy.orm import Session

from idp.accounts.hashing import DEFAULT_HASHER, PasswordHasher
from idp.accounts.models import Account, Centre
from idp.accounts.policy import DEFAULT_POLICY, PasswordPolicy
from idp.accounts.rights import AccountKind, Right, require_right
from idp.accounts.service import Random, get_account, new_account
from idp.proofing.assurance import (
    EvidenceType,
    ProofingMethod,
    assurance_for,
    encode_evidence,
)
from idp.proofing.errors import PersonDeceasedError, PersonNotFoundError
from idp.proofing.matching import ClaimedIdentity, match_person, normalise_person_id
from idp.proofing.models import ProofingRecord
from idp.proofing.registry import CivilRegistry, LifeStatus, PersonFacts


def _verified_facts(registry: CivilRegistry, claim: ClaimedIdentity) -> PersonFacts:
    facts = registry.find_person(normalise_person_id(claim.person_id))
    if facts is None:
        raise PersonNotFoundError()
    if facts.status != LifeStatus.ALIVE:
        raise PersonDeceasedError()
    match_person(claim, facts)
    return facts


def _password_context(facts: PersonFacts) -> list[str]:
    birth = facts.date_of_birth
    return [
        facts.person_id, facts.given_name_lo, facts.family_name_lo, facts.given_name_latin,
        facts.family_name_latin, birth.strftime("%Y%m%d"), birth.strftime("%d%m%Y"),
        str(birth.year),
    ]


def _enrol(
    session: Session,
    *,
    facts: PersonFacts,
    method: ProofingMethod,
    evidence: Collection[EvidenceType],
    officer: Account | None,
    centre: Centre | None,
    login: str | None,
    password: str,
    now: datetime,
    hasher: PasswordHasher,
    policy: PasswordPolicy,
    random: Random,
) -> Account:
    level = assurance_for(method, evidence)
    account = new_account(
        session,
        kind=AccountKind.CITIZEN,
        login=login or facts.person_id,
        display_name=f"{facts.given_name_lo} {facts.family_name_lo}",
        password=password,
        assurance_level=level,
        now=now,
        person_id=facts.person_id,
        password_context=_password_context(facts),
        hasher=hasher,
        policy=policy,
        random=random,
    )
    session.add(
        ProofingRecord(
            account_id=account.id,
            person_id=facts.person_id,
            method=method.value,
            evidence=encode_evidence(evidence),
            level=level.value,
            officer_id=officer.id if officer is not None else None,
            centre_id=centre.id if centre is not None else None,
            checked_at=now,
        )
    )
    session.flush()
    return account


def create_citizen_account(
    session: Session,
    *,
    registry: CivilRegistry,
    officer_id: int,
    claim: ClaimedIdentity,
    evidence: Collection[EvidenceType],
    password: str,
    now: datetime,
    login: str | None = None,
    hasher: PasswordHasher = DEFAULT_HASHER,
    policy: PasswordPolicy = DEFAULT_POLICY,
    random: Random = secrets.token_bytes,
) -> Account:
    """In-person proofing by an officer of a centre; the level follows the evidence checked.

    Every check (officer's rights, registry match, alive, evidence, password, uniqueness)
    runs before anything is written, so a refusal leaves no record behind.
    """
    officer = get_account(session, account_id=officer_id)
    require_right(officer, Right.PROOF_IDENTITY)
    assert officer.centre_id is not None  # require_right refuses officers without a centre
    centre = session.get(Centre, officer.centre_id)
    facts = _verified_facts(registry, claim)
    assurance_for(ProofingMethod.IN_PERSON, evidence)  # refuse empty evidence before writing
    return _enrol(
        session, facts=facts, method=ProofingMethod.IN_PERSON, evidence=evidence,
        officer=officer, centre=centre, login=login, password=password, now=now,
        hasher=hasher, policy=policy, random=random,
    )


def self_register_citizen(
    session: Session,
    *,
    registry: CivilRegistry,
    claim: ClaimedIdentity,
    password: str,
    now: datetime,
    login: str | None = None,
    hasher: PasswordHasher = DEFAULT_HASHER,
    policy: PasswordPolicy = DEFAULT_POLICY,
    random: Random = secrets.token_bytes,
) -> Account:
    """Online self-registration: the same registry match, but the level is at most "low"."""
    facts = _verified_facts(registry, claim)
    return _enrol(
        session, facts=facts, method=ProofingMethod.REMOTE, evidence=(), officer=None,
        centre=None, login=login, password=password, now=now, hasher=hasher, policy=policy,
        random=random,
    )
