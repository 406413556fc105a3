"""Citizens give, pause, resume and withdraw consents; every change is kept and re-signed."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from exchange.consent.artefact import build_artefact, canonical_json, verify_consent
from exchange.consent.errors import (
    ConsentNotFoundError,
    ConsentSignatureInvalidError,
    IllegalTransitionError,
    InvalidConsentRequestError,
    UnknownPurposeError,
)
from exchange.consent.models import ConsentEvent
from exchange.consent.service import (
    consent_history,
    get_consent,
    list_consents,
    pause_consent,
    resume_consent,
    withdraw_consent,
)
from exchange.consent.signing import LocalConsentKeys, verify_detached
from exchange.consent.states import TRANSITIONS, ConsentState, check_transition
from tests.exchange.consent.conftest import (
    CONSUMER,
    ITEMS,
    NOW,
    OTHER_SUBJECT,
    PROVIDER,
    PURPOSE,
    SUBJECT,
    give,
)


def test_given_consent_is_active_signed_and_recorded(
    db_session: Session, keys: LocalConsentKeys
) -> None:
    consent = give(db_session, keys, max_uses=3)
    artefact = build_artefact(consent)
    assert artefact["state"] == "ACTIVE"
    assert artefact["data_subject"] == SUBJECT
    assert artefact["data_consumer"] == CONSUMER
    assert artefact["data_providers"] == [PROVIDER]
    assert artefact["data_items"] == sorted(ITEMS)
    assert artefact["purpose"] == PURPOSE
    assert artefact["max_uses"] == 3
    assert artefact["not_before"] == "2025-03-01T09:00:00Z"
    verify_detached(consent.signature, canonical_json(artefact), keys)
    [event] = consent_history(db_session, consent_id=consent.id, subject=SUBJECT)
    assert (event.from_state, event.to_state, event.version) == (None, "ACTIVE", 1)


def test_pause_resume_withdraw_each_recorded_and_resigned(
    db_session: Session, keys: LocalConsentKeys
) -> None:
    consent = give(db_session, keys)
    signatures = {consent.signature}
    common: dict[str, Any] = {"consent_id": consent.id, "subject": SUBJECT, "keys": keys}
    pause_consent(db_session, now=NOW + timedelta(minutes=1), reason="travelling", **common)
    signatures.add(consent.signature)
    resume_consent(db_session, now=NOW + timedelta(minutes=2), **common)
    signatures.add(consent.signature)
    withdraw_consent(db_session, now=NOW + timedelta(minutes=3), **common)
    signatures.add(consent.signature)
    assert consent.state == "REVOKED"
    assert consent.version == 4
    assert len(signatures) == 4
    verify_consent(consent, keys)
    history = consent_history(db_session, consent_id=consent.id, subject=SUBJECT)
    assert [(e.from_state, e.to_state) for e in history] == [
        (None, "ACTIVE"),
        ("ACTIVE", "PAUSED"),
        ("PAUSED", "ACTIVE"),
        ("ACTIVE", "REVOKED"),
    ]
    assert history[1].reason == "travelling"
    assert [e.actor for e in history] == ["subject"] * 4
    assert history[-1].signature == consent.signature
    assert history[-1].at == NOW + timedelta(minutes=3)


def test_every_event_signature_verifies_its_own_version(
    db_session: Session, keys: LocalConsentKeys
) -> None:
    consent = give(db_session, keys)
    pause_consent(db_session, consent_id=consent.id, subject=SUBJECT, now=NOW, keys=keys)
    for event in consent_history(db_session, consent_id=consent.id, subject=SUBJECT):
        artefact = build_artefact(consent) | {
            "version": event.version,
            "state": event.to_state,
            "updated_at": event.at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        }
        verify_detached(event.signature, canonical_json(artefact), keys)


@pytest.mark.parametrize("current", list(ConsentState))
@pytest.mark.parametrize("target", list(ConsentState))
def test_state_machine(current: ConsentState, target: ConsentState) -> None:
    allowed = {
        ("ACTIVE", "PAUSED"),
        ("PAUSED", "ACTIVE"),
        ("ACTIVE", "REVOKED"),
        ("PAUSED", "REVOKED"),
        ("ACTIVE", "EXPIRED"),
        ("PAUSED", "EXPIRED"),
    }
    if (current.value, target.value) in allowed:
        check_transition(current, target)
        assert target in TRANSITIONS[current]
    else:
        with pytest.raises(IllegalTransitionError) as caught:
            check_transition(current, target)
        assert caught.value.code == "consent_illegal_transition"


def test_revoked_is_final(db_session: Session, keys: LocalConsentKeys) -> None:
    consent = give(db_session, keys)
    common: dict[str, Any] = {"consent_id": consent.id, "subject": SUBJECT, "keys": keys}
    withdraw_consent(db_session, now=NOW, **common)
    for change in (resume_consent, pause_consent, withdraw_consent):
        with pytest.raises(IllegalTransitionError):
            change(db_session, now=NOW, **common)
    assert (
        len(consent_history(db_session, **{k: common[k] for k in ("consent_id", "subject")})) == 2
    )


def test_resume_of_an_active_consent_is_illegal(
    db_session: Session, keys: LocalConsentKeys
) -> None:
    consent = give(db_session, keys)
    with pytest.raises(IllegalTransitionError):
        resume_consent(db_session, consent_id=consent.id, subject=SUBJECT, now=NOW, keys=keys)


def test_expiry_is_computed_on_read_and_persisted(
    db_session: Session, keys: LocalConsentKeys
) -> None:
    consent = give(db_session, keys, not_after=NOW + timedelta(days=1))
    later = NOW + timedelta(days=1, seconds=1)
    assert get_consent(db_session, consent_id=consent.id, subject=SUBJECT, now=NOW, keys=keys)
    assert consent.state == "ACTIVE"
    get_consent(db_session, consent_id=consent.id, subject=SUBJECT, now=later, keys=keys)
    stored = db_session.execute(
        text("SELECT state FROM consent_record WHERE id = :id"), {"id": consent.id}
    ).scalar_one()
    assert stored == "EXPIRED"
    last = consent_history(db_session, consent_id=consent.id, subject=SUBJECT)[-1]
    assert (last.from_state, last.to_state, last.actor) == ("ACTIVE", "EXPIRED", "system")
    verify_consent(consent, keys)
    with pytest.raises(IllegalTransitionError):
        resume_consent(db_session, consent_id=consent.id, subject=SUBJECT, now=later, keys=keys)


def test_list_shows_only_my_consents(db_session: Session, keys: LocalConsentKeys) -> None:
    mine = give(db_session, keys)
    give(db_session, keys, subject=OTHER_SUBJECT)
    listed = list_consents(db_session, subject=SUBJECT, now=NOW, keys=keys)
    assert [c.id for c in listed] == [mine.id]


@pytest.mark.parametrize("action", ["get", "pause", "withdraw", "history"])
def test_another_subjects_consent_looks_absent(
    db_session: Session, keys: LocalConsentKeys, action: str
) -> None:
    theirs = give(db_session, keys, subject=OTHER_SUBJECT)
    calls = {
        "get": lambda cid: get_consent(
            db_session, consent_id=cid, subject=SUBJECT, now=NOW, keys=keys
        ),
        "pause": lambda cid: pause_consent(
            db_session, consent_id=cid, subject=SUBJECT, now=NOW, keys=keys
        ),
        "withdraw": lambda cid: withdraw_consent(
            db_session, consent_id=cid, subject=SUBJECT, now=NOW, keys=keys
        ),
        "history": lambda cid: consent_history(db_session, consent_id=cid, subject=SUBJECT),
    }
    with pytest.raises(ConsentNotFoundError) as other:
        calls[action](theirs.id)
    with pytest.raises(ConsentNotFoundError) as absent:
        calls[action]("00000000-0000-4000-8000-000000000000")
    assert other.value.to_body() == absent.value.to_body()
    assert theirs.state == "ACTIVE"


def test_malformed_id_is_not_found(db_session: Session, keys: LocalConsentKeys) -> None:
    with pytest.raises(ConsentNotFoundError):
        get_consent(db_session, consent_id="' OR 1=1 --", subject=SUBJECT, now=NOW, keys=keys)


def test_tampered_consent_is_not_resigned_by_a_state_change(
    db_session: Session, keys: LocalConsentKeys
) -> None:
    consent = give(db_session, keys)
    db_session.execute(
        text("UPDATE consent_record SET max_uses = 1000 WHERE id = :id"), {"id": consent.id}
    )
    db_session.expire_all()
    with pytest.raises(ConsentSignatureInvalidError):
        pause_consent(db_session, consent_id=consent.id, subject=SUBJECT, now=NOW, keys=keys)


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"purpose": "marketing"}, UnknownPurposeError),
        ({"purpose": "Not A Code!"}, InvalidConsentRequestError),
        ({"consumer": "welfare"}, InvalidConsentRequestError),
        ({"providers": []}, InvalidConsentRequestError),
        ({"providers": "LA/GOV/MOHA"}, InvalidConsentRequestError),
        ({"data_items": []}, InvalidConsentRequestError),
        ({"data_items": ["name"]}, InvalidConsentRequestError),
        ({"not_after": NOW - timedelta(days=1)}, InvalidConsentRequestError),
        ({"not_before": NOW + timedelta(days=40)}, InvalidConsentRequestError),
        ({"max_uses": 0}, InvalidConsentRequestError),
        ({"subject": ""}, InvalidConsentRequestError),
    ],
)
def test_bad_terms_are_refused_without_a_record(
    db_session: Session, keys: LocalConsentKeys, overrides: dict[str, Any], error: type[Exception]
) -> None:
    with pytest.raises(error):
        give(db_session, keys, **overrides)
    assert db_session.scalars(select(ConsentEvent)).first() is None
