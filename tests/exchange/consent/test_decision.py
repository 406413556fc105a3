"""The decision the provider gateway relies on: every reason code, from the attacker's side."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import text, update
from sqlalchemy.orm import Session

from exchange.consent.basis import BasisKind, add_legal_basis, set_service_policy
from exchange.consent.decision import Decision, decide
from exchange.consent.errors import ConsentRefused, InvalidConsentRequestError, RefusalReason
from exchange.consent.models import Consent
from exchange.consent.service import pause_consent, resume_consent, withdraw_consent
from exchange.consent.signing import LocalConsentKeys
from tests.exchange.consent.conftest import (
    CONSUMER,
    HOUSEHOLD_SERVICE,
    NOW,
    OTHER_SUBJECT,
    PURPOSE,
    SERVICE,
    SUBJECT,
    give,
)

LATER = NOW + timedelta(hours=1)
STATS = "LA/GOV/LSB/statistics"
LAW = "Law on Statistics No. 03/NA, article 20"


def ask(session: Session, keys: LocalConsentKeys, **overrides: Any) -> Decision:
    request: dict[str, Any] = {
        "consumer": CONSUMER,
        "service": SERVICE,
        "subject": SUBJECT,
        "purpose": PURPOSE,
        "consent_ref": None,
        "data_items": ["civil.person.name"],
        "now": LATER,
        "keys": keys,
    }
    request.update(overrides)
    return decide(session, **request)


def uses(session: Session, consent: Consent) -> int:
    return int(
        session.execute(
            text("SELECT uses FROM consent_record WHERE id = :id"), {"id": consent.id}
        ).scalar_one()
    )


def refused(decision: Decision, reason: RefusalReason) -> bool:
    return not decision.allowed and decision.reason is reason


@pytest.fixture
def consent(db_session: Session, keys: LocalConsentKeys, consent_service: str) -> Consent:
    return give(db_session, keys)


def test_valid_consent_allows_and_counts_one_use(
    db_session: Session, keys: LocalConsentKeys, consent: Consent
) -> None:
    decision = ask(db_session, keys, consent_ref=consent.id)
    assert decision == Decision(
        allowed=True,
        basis_kind=BasisKind.CONSENT,
        basis_ref=consent.id,
        data_items=("civil.person.name",),
    )
    decision.raise_if_refused()
    assert uses(db_session, consent) == 1
    assert consent.last_used_at == LATER


def test_service_without_policy_has_no_basis(
    db_session: Session, keys: LocalConsentKeys, consent: Consent
) -> None:
    decision = ask(db_session, keys, consent_ref=consent.id, service=HOUSEHOLD_SERVICE)
    assert refused(decision, RefusalReason.NO_BASIS)
    assert uses(db_session, consent) == 0


def test_consent_service_without_consent_has_no_basis(
    db_session: Session, keys: LocalConsentKeys, consent_service: str
) -> None:
    assert refused(ask(db_session, keys), RefusalReason.NO_BASIS)


@pytest.mark.parametrize("ref", ["6f1c3c8e-8d53-4c1e-9d0e-1f7a1bb1c2d3", "not-a-uuid", ""])
def test_unknown_consent_is_not_found(
    db_session: Session, keys: LocalConsentKeys, consent_service: str, ref: str
) -> None:
    assert refused(ask(db_session, keys, consent_ref=ref), RefusalReason.CONSENT_NOT_FOUND)


def test_consent_of_another_subject_is_refused(
    db_session: Session, keys: LocalConsentKeys, consent_service: str
) -> None:
    theirs = give(db_session, keys, subject=OTHER_SUBJECT)
    decision = ask(db_session, keys, consent_ref=theirs.id)
    assert refused(decision, RefusalReason.CONSENT_OTHER_SUBJECT)
    assert decision.basis_ref is None
    assert uses(db_session, theirs) == 0


def test_expired_consent_is_refused_and_marked_expired(
    db_session: Session, keys: LocalConsentKeys, consent: Consent
) -> None:
    after = consent.not_after + timedelta(seconds=1)
    decision = ask(db_session, keys, consent_ref=consent.id, now=after)
    assert refused(decision, RefusalReason.CONSENT_EXPIRED)
    assert consent.state == "EXPIRED"
    assert refused(ask(db_session, keys, consent_ref=consent.id), RefusalReason.CONSENT_EXPIRED)


def test_consent_before_its_validity_is_refused(
    db_session: Session, keys: LocalConsentKeys, consent_service: str
) -> None:
    future = give(db_session, keys, not_before=NOW + timedelta(days=2))
    decision = ask(db_session, keys, consent_ref=future.id)
    assert refused(decision, RefusalReason.CONSENT_NOT_YET_VALID)


def test_withdrawal_is_effective_on_the_next_decision(
    db_session: Session, keys: LocalConsentKeys, consent: Consent
) -> None:
    assert ask(db_session, keys, consent_ref=consent.id).allowed
    withdraw_consent(db_session, consent_id=consent.id, subject=SUBJECT, now=LATER, keys=keys)
    assert refused(ask(db_session, keys, consent_ref=consent.id), RefusalReason.CONSENT_REVOKED)


def test_paused_consent_is_refused_until_resumed(
    db_session: Session, keys: LocalConsentKeys, consent: Consent
) -> None:
    pause_consent(db_session, consent_id=consent.id, subject=SUBJECT, now=NOW, keys=keys)
    assert refused(ask(db_session, keys, consent_ref=consent.id), RefusalReason.CONSENT_PAUSED)
    resume_consent(db_session, consent_id=consent.id, subject=SUBJECT, now=NOW, keys=keys)
    assert ask(db_session, keys, consent_ref=consent.id).allowed


def test_uses_beyond_max_uses_are_refused(
    db_session: Session, keys: LocalConsentKeys, consent_service: str
) -> None:
    twice = give(db_session, keys, max_uses=2)
    results = [ask(db_session, keys, consent_ref=twice.id).allowed for _ in range(3)]
    assert results == [True, True, False]
    assert refused(ask(db_session, keys, consent_ref=twice.id), RefusalReason.CONSENT_USED_UP)
    assert uses(db_session, twice) == 2


def test_other_purpose_is_refused(
    db_session: Session, keys: LocalConsentKeys, consent: Consent
) -> None:
    decision = ask(db_session, keys, consent_ref=consent.id, purpose="business-registration")
    assert refused(decision, RefusalReason.PURPOSE_MISMATCH)
    assert uses(db_session, consent) == 0


@pytest.mark.parametrize("consumer", ["LA/GOV/MOF/tax", "LA/GOV/MOLSW/other", "LA/GOV/MOLSW"])
def test_other_consumer_is_refused(
    db_session: Session, keys: LocalConsentKeys, consent: Consent, consumer: str
) -> None:
    decision = ask(db_session, keys, consent_ref=consent.id, consumer=consumer)
    assert refused(decision, RefusalReason.CONSUMER_MISMATCH)


def test_consent_to_a_member_covers_its_subsystems(
    db_session: Session, keys: LocalConsentKeys, consent_service: str
) -> None:
    to_ministry = give(db_session, keys, consumer="LA/GOV/MOLSW", providers=["LA/GOV/MOHA"])
    assert ask(db_session, keys, consent_ref=to_ministry.id).allowed


def test_other_provider_is_refused(
    db_session: Session, keys: LocalConsentKeys, consent: Consent
) -> None:
    other = "LA/GOV/MOH/records/person"
    set_service_policy(db_session, service=other, mode="consent", data_items=["civil.person.name"])
    decision = ask(db_session, keys, consent_ref=consent.id, service=other)
    assert refused(decision, RefusalReason.PROVIDER_MISMATCH)


def test_items_beyond_the_consent_are_refused(
    db_session: Session, keys: LocalConsentKeys, consent: Consent
) -> None:
    decision = ask(db_session, keys, consent_ref=consent.id, data_items=["civil.person.address"])
    assert refused(decision, RefusalReason.DATA_ITEMS_NOT_COVERED)


def test_narrow_request_cannot_unlock_a_broad_service(
    db_session: Session, keys: LocalConsentKeys, consent: Consent
) -> None:
    set_service_policy(
        db_session,
        service=SERVICE,
        mode="consent",
        data_items=["civil.person.name", "familybook.household.members"],
    )
    decision = ask(db_session, keys, consent_ref=consent.id, data_items=["civil.person.name"])
    assert refused(decision, RefusalReason.DATA_ITEMS_NOT_COVERED)


def _tamper_sql(session: Session, consent: Consent, assignment: str) -> None:
    session.execute(
        text(f"UPDATE consent_record SET {assignment} WHERE id = :id"), {"id": consent.id}
    )


@pytest.mark.parametrize(
    "assignment",
    [
        "max_uses = 1000000",
        "purpose = 'business-registration'",
        "consumer = 'LA/GOV/MOF/tax'",
        "subject = 'LA-1990-000456'",
        "version = 7",
        "signature = 'x..y'",
    ],
)
def test_row_altered_in_the_database_is_refused(
    db_session: Session, keys: LocalConsentKeys, consent: Consent, assignment: str
) -> None:
    _tamper_sql(db_session, consent, assignment)
    subject = OTHER_SUBJECT if "subject" in assignment else SUBJECT
    consumer = "LA/GOV/MOF/tax" if "consumer" in assignment else CONSUMER
    purpose = "business-registration" if "purpose" in assignment else PURPOSE
    decision = ask(
        db_session,
        keys,
        consent_ref=consent.id,
        subject=subject,
        consumer=consumer,
        purpose=purpose,
    )
    assert refused(decision, RefusalReason.CONSENT_SIGNATURE_INVALID)
    assert uses(db_session, consent) == 0


@pytest.mark.parametrize(
    "values",
    [
        {"data_items": ["civil.person.name", "familybook.household.members"]},
        {"providers": ["LA/GOV/MOHA/civil", "LA/GOV/MOF/tax"]},
        {"not_after": NOW + timedelta(days=3650)},
    ],
)
def test_widened_terms_in_the_database_are_refused(
    db_session: Session, keys: LocalConsentKeys, consent: Consent, values: dict[str, Any]
) -> None:
    db_session.execute(update(Consent.__table__).where(Consent.id == consent.id).values(**values))
    decision = ask(db_session, keys, consent_ref=consent.id)
    assert refused(decision, RefusalReason.CONSENT_SIGNATURE_INVALID)


def test_revoked_consent_put_back_to_an_old_signed_version_is_refused(
    db_session: Session, keys: LocalConsentKeys, consent: Consent
) -> None:
    first_signature, first_updated = consent.signature, consent.updated_at
    withdraw_consent(db_session, consent_id=consent.id, subject=SUBJECT, now=LATER, keys=keys)
    db_session.execute(
        update(Consent.__table__)
        .where(Consent.id == consent.id)
        .values(state="ACTIVE", version=1, updated_at=first_updated, signature=first_signature)
    )
    decision = ask(db_session, keys, consent_ref=consent.id)
    assert refused(decision, RefusalReason.CONSENT_SIGNATURE_INVALID)


def test_consent_signed_by_another_key_is_refused(
    db_session: Session,
    keys: LocalConsentKeys,
    other_keys: LocalConsentKeys,
    consent_service: str,
) -> None:
    forged = give(db_session, other_keys, max_uses=None)
    decision = ask(db_session, keys, consent_ref=forged.id)
    assert refused(decision, RefusalReason.CONSENT_SIGNATURE_INVALID)


def test_refusal_becomes_a_typed_error_with_the_reason(
    db_session: Session, keys: LocalConsentKeys, consent_service: str
) -> None:
    with pytest.raises(ConsentRefused) as caught:
        ask(db_session, keys).raise_if_refused()
    assert caught.value.reason is RefusalReason.NO_BASIS
    assert caught.value.to_body()["error"] == {
        "code": "consent_refused",
        "message": "request refused: no_basis",
        "reason": "no_basis",
    }


def test_malformed_identifiers_are_rejected(db_session: Session, keys: LocalConsentKeys) -> None:
    with pytest.raises(InvalidConsentRequestError):
        ask(db_session, keys, service="person")
    with pytest.raises(InvalidConsentRequestError):
        ask(db_session, keys, consumer="LA/GOV")
    with pytest.raises(InvalidConsentRequestError):
        ask(db_session, keys, now=LATER.replace(tzinfo=None))


# Legal basis ---------------------------------------------------------------------------------


@pytest.fixture
def statistics_service(db_session: Session) -> str:
    set_service_policy(
        db_session,
        service=HOUSEHOLD_SERVICE,
        mode="legal_basis",
        data_items=["familybook.household.members"],
    )
    return HOUSEHOLD_SERVICE


def add_basis(session: Session, **overrides: Any) -> None:
    terms: dict[str, Any] = {
        "service": HOUSEHOLD_SERVICE,
        "consumer": STATS,
        "law_reference": LAW,
        "purposes": ["official-statistics"],
        "data_items": ["familybook.household.members", "familybook.household.size"],
        "valid_from": NOW - timedelta(days=365),
        "valid_to": NOW + timedelta(days=365),
    }
    terms.update(overrides)
    add_legal_basis(session, **terms)


def ask_stats(session: Session, keys: LocalConsentKeys, **overrides: Any) -> Decision:
    request = {
        "consumer": STATS,
        "service": HOUSEHOLD_SERVICE,
        "purpose": "official-statistics",
        "data_items": ["familybook.household.size"],
    }
    return ask(session, keys, **(request | overrides))


def test_legal_basis_allows_without_consent(
    db_session: Session, keys: LocalConsentKeys, statistics_service: str
) -> None:
    add_basis(db_session)
    decision = ask_stats(db_session, keys)
    assert decision.allowed
    assert decision.basis_kind is BasisKind.LEGAL_BASIS
    assert decision.basis_ref == LAW
    assert decision.data_items == ("familybook.household.members", "familybook.household.size")


@pytest.mark.parametrize(
    "now", [NOW - timedelta(days=366), NOW + timedelta(days=365), NOW + timedelta(days=400)]
)
def test_legal_basis_outside_its_validity_is_refused(
    db_session: Session, keys: LocalConsentKeys, statistics_service: str, now: datetime
) -> None:
    add_basis(db_session)
    decision = ask_stats(db_session, keys, now=now)
    assert refused(decision, RefusalReason.LEGAL_BASIS_NOT_IN_FORCE)


def test_legal_basis_for_other_purposes_is_refused(
    db_session: Session, keys: LocalConsentKeys, statistics_service: str
) -> None:
    add_basis(db_session)
    decision = ask_stats(db_session, keys, purpose=PURPOSE)
    assert refused(decision, RefusalReason.PURPOSE_MISMATCH)


def test_legal_basis_not_covering_the_items_is_refused(
    db_session: Session, keys: LocalConsentKeys, statistics_service: str
) -> None:
    add_basis(db_session, data_items=["familybook.household.size"])
    assert refused(ask_stats(db_session, keys), RefusalReason.DATA_ITEMS_NOT_COVERED)


def test_legal_basis_of_another_consumer_gives_no_basis(
    db_session: Session, keys: LocalConsentKeys, statistics_service: str
) -> None:
    add_basis(db_session)
    assert refused(ask_stats(db_session, keys, consumer=CONSUMER), RefusalReason.NO_BASIS)


def test_consent_does_not_replace_a_missing_legal_basis(
    db_session: Session, keys: LocalConsentKeys, statistics_service: str
) -> None:
    consent = give(
        db_session,
        keys,
        consumer=STATS,
        providers=["LA/GOV/MOHA"],
        purpose="official-statistics",
        data_items=["familybook.household.members", "familybook.household.size"],
    )
    decision = ask_stats(db_session, keys, consent_ref=consent.id)
    assert refused(decision, RefusalReason.NO_BASIS)


def test_legal_basis_for_a_group_applies_to_its_members(
    db_session: Session, keys: LocalConsentKeys, statistics_service: str
) -> None:
    add_basis(db_session, consumer="group:statistics-producers")
    assert refused(ask_stats(db_session, keys), RefusalReason.NO_BASIS)
    assert ask_stats(db_session, keys, consumer_groups={"statistics-producers"}).allowed


def test_second_basis_can_allow_what_the_first_does_not(
    db_session: Session, keys: LocalConsentKeys, statistics_service: str
) -> None:
    add_basis(db_session, valid_to=NOW - timedelta(days=1))
    add_basis(db_session, law_reference="Decree 12/PM", valid_from=NOW - timedelta(days=1))
    decision = ask_stats(db_session, keys)
    assert decision.allowed
    assert decision.basis_ref == "Decree 12/PM"
