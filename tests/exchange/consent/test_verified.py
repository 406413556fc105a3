"""A consent verified once is not verified again, yet tampering after that is still refused."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from sqlalchemy import event, text, update
from sqlalchemy.orm import Session

from exchange.consent import signing
from exchange.consent.artefact import build_artefact, canonical_json
from exchange.consent.errors import ConsentSignatureInvalidError, RefusalReason
from exchange.consent.models import Consent
from exchange.consent.signing import LocalConsentKeys, sign_detached
from exchange.consent.verified import VerifiedSignatures
from tests.exchange.consent.conftest import NOW, give
from tests.exchange.consent.test_decision import ask, refused, uses


@pytest.fixture
def consent(db_session: Session, keys: LocalConsentKeys, consent_service: str) -> Consent:
    consent = give(db_session, keys)
    assert ask(db_session, keys, consent_ref=consent.id).allowed  # now in the cache
    return consent


@pytest.mark.parametrize(
    "assignment",
    [
        "max_uses = 1000000",
        "purpose = 'business-registration'",
        "consumer = 'LA/GOV/MOF/tax'",
        "state = 'ACTIVE', version = 7",
        "signature = 'x..y'",
    ],
)
def test_row_altered_after_a_cached_verification_is_refused(
    db_session: Session, keys: LocalConsentKeys, consent: Consent, assignment: str
) -> None:
    db_session.execute(
        text(f"UPDATE consent_record SET {assignment} WHERE id = :id"), {"id": consent.id}
    )
    consumer = "LA/GOV/MOF/tax" if "consumer" in assignment else None
    purpose = "business-registration" if "purpose" in assignment else None
    overrides: dict[str, Any] = {"consent_ref": consent.id}
    if consumer:
        overrides["consumer"] = consumer
    if purpose:
        overrides["purpose"] = purpose
    decision = ask(db_session, keys, **overrides)
    assert refused(decision, RefusalReason.CONSENT_SIGNATURE_INVALID)
    assert uses(db_session, consent) == 1


def test_widened_items_after_a_cached_verification_are_refused(
    db_session: Session, keys: LocalConsentKeys, consent: Consent
) -> None:
    items = ["civil.person.name", "familybook.household.members", "tax.income"]
    db_session.execute(
        update(Consent)
        .where(Consent.id == consent.id)
        .values(data_items=items)
        .execution_options(synchronize_session=False)
    )
    decision = ask(db_session, keys, consent_ref=consent.id)
    assert refused(decision, RefusalReason.CONSENT_SIGNATURE_INVALID)


def test_cached_signature_is_refused_by_a_verifier_that_does_not_trust_its_key(
    db_session: Session, keys: LocalConsentKeys, other_keys: LocalConsentKeys, consent: Consent
) -> None:
    decision = ask(db_session, other_keys, consent_ref=consent.id)
    assert refused(decision, RefusalReason.CONSENT_SIGNATURE_INVALID)


def test_key_withdrawn_from_trust_is_not_served_from_the_cache() -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    signer = LocalConsentKeys(key)
    payload = b'{"type":"onedoor-consent/1"}'
    jws = sign_detached(payload, signer)
    cache = VerifiedSignatures(size=4)
    assert cache.verify(jws, payload, signer) == signer.key_id

    class Distrusting:
        def public_key(self, key_id: str) -> ec.EllipticCurvePublicKey | None:
            return None

    with pytest.raises(ConsentSignatureInvalidError):
        cache.verify(jws, payload, Distrusting())
    with pytest.raises(ConsentSignatureInvalidError):
        cache.verify(jws, payload + b" ", signer)


def test_cache_is_bounded() -> None:
    signer = LocalConsentKeys(ec.generate_private_key(ec.SECP256R1()))
    cache = VerifiedSignatures(size=2)
    for number in range(5):
        payload = str(number).encode()
        cache.verify(sign_detached(payload, signer), payload, signer)
    assert len(cache) == 2


def test_unchanged_consent_is_verified_once(
    db_session: Session, keys: LocalConsentKeys, consent: Consent, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[bytes] = []
    original = signing.verify_detached

    def counting(jws: str, payload: bytes, verifier: Any) -> str:
        calls.append(payload)
        return original(jws, payload, verifier)

    monkeypatch.setattr("exchange.consent.verified.verify_detached", counting)
    for _ in range(3):
        assert ask(db_session, keys, consent_ref=consent.id).allowed
    assert calls == []
    assert canonical_json(build_artefact(consent))


def test_an_allowed_consent_decision_takes_three_statements(
    db_session: Session, keys: LocalConsentKeys, consent: Consent
) -> None:
    consent_id = consent.id
    db_session.expire_all()
    statements: list[str] = []
    engine = db_session.get_bind()

    def record(*args: Any) -> None:
        statements.append(str(args[2]))

    event.listen(engine, "before_cursor_execute", record)
    try:
        assert ask(db_session, keys, consent_ref=consent_id, now=NOW + timedelta(hours=2)).allowed
    finally:
        event.remove(engine, "before_cursor_execute", record)
    # Lock + read with the latest event's signature, the service policy, the use counter.
    assert len(statements) == 3, "\n---\n".join(statements)
