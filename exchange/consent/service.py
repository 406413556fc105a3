"""What a citizen does with consents: give, pause, resume, withdraw, list, read.

A subject only ever sees their own consents: another subject's consent is reported exactly
like a consent that does not exist. Every state change is kept in ``consent_event`` and
re-signs the artefact.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from exchange.consent import identifiers
from exchange.consent.artefact import sign_consent, to_second, verify_consent
from exchange.consent.errors import (
    ConsentNotFoundError,
    ConsentSignatureInvalidError,
    InvalidConsentRequestError,
)
from exchange.consent.models import Consent, ConsentEvent
from exchange.consent.purposes import require_purposes
from exchange.consent.signing import ConsentKeys
from exchange.consent.states import ConsentState, check_transition

MAX_USES_LIMIT = 1_000_000
SYSTEM_ACTOR = "system"
SUBJECT_ACTOR = "subject"


def give_consent(
    session: Session,
    *,
    subject: str,
    consumer: str,
    providers: Sequence[str],
    data_items: Sequence[str],
    purpose: str,
    not_after: datetime,
    now: datetime,
    keys: ConsentKeys,
    not_before: datetime | None = None,
    max_uses: int | None = None,
    actor: str = SUBJECT_ACTOR,
    new_id: Callable[[], uuid.UUID] = uuid.uuid4,
) -> Consent:
    """Record and sign a new ACTIVE consent."""
    if isinstance(providers, str) or not 0 < len(providers) <= 20:
        raise InvalidConsentRequestError("name between 1 and 20 data providers")
    now = to_second(now)
    start = to_second(not_before) if not_before is not None else now
    end = to_second(not_after)
    if end <= start or end <= now:
        raise InvalidConsentRequestError("not_after must be after not_before and in the future")
    if max_uses is not None and not 0 < max_uses <= MAX_USES_LIMIT:
        raise InvalidConsentRequestError(f"max_uses is between 1 and {MAX_USES_LIMIT}")
    consent = Consent(
        id=str(new_id()),
        subject=identifiers.subject_id(subject),
        consumer=identifiers.member_id(consumer, what="data consumer"),
        providers=sorted({identifiers.member_id(p, what="data provider") for p in providers}),
        data_items=identifiers.data_items(data_items),
        purpose=require_purposes(session, [purpose])[0],
        not_before=start,
        not_after=end,
        max_uses=max_uses,
        uses=0,
        state=ConsentState.ACTIVE.value,
        version=1,
        created_at=now,
        updated_at=now,
    )
    sign_consent(consent, keys)
    session.add(consent)
    session.flush()
    _record(session, consent, None, actor=actor, reason="given", at=now)
    session.flush()
    return consent


def pause_consent(
    session: Session,
    *,
    consent_id: str,
    subject: str,
    now: datetime,
    keys: ConsentKeys,
    actor: str = SUBJECT_ACTOR,
    reason: str | None = None,
) -> Consent:
    """ACTIVE -> PAUSED: no use until resumed."""
    return _change(session, consent_id, subject, ConsentState.PAUSED, now, keys, actor, reason)


def resume_consent(
    session: Session,
    *,
    consent_id: str,
    subject: str,
    now: datetime,
    keys: ConsentKeys,
    actor: str = SUBJECT_ACTOR,
    reason: str | None = None,
) -> Consent:
    """PAUSED -> ACTIVE."""
    return _change(session, consent_id, subject, ConsentState.ACTIVE, now, keys, actor, reason)


def withdraw_consent(
    session: Session,
    *,
    consent_id: str,
    subject: str,
    now: datetime,
    keys: ConsentKeys,
    actor: str = SUBJECT_ACTOR,
    reason: str | None = None,
) -> Consent:
    """ACTIVE or PAUSED -> REVOKED, for good; effective on the next decision."""
    return _change(session, consent_id, subject, ConsentState.REVOKED, now, keys, actor, reason)


def get_consent(
    session: Session, *, consent_id: str, subject: str, now: datetime, keys: ConsentKeys
) -> Consent:
    """The subject's own consent, expired first if its validity has ended."""
    consent = _load_own(session, consent_id, subject)
    expire_if_due(session, consent, now=now, keys=keys)
    return consent


def list_consents(
    session: Session, *, subject: str, now: datetime, keys: ConsentKeys
) -> list[Consent]:
    """The subject's consents, newest first."""
    consents = list(
        session.scalars(
            select(Consent)
            .where(Consent.subject == subject)
            .order_by(Consent.created_at.desc(), Consent.id)
        )
    )
    for consent in consents:
        try:
            expire_if_due(session, consent, now=now, keys=keys)
        except ConsentSignatureInvalidError:
            continue  # listed as stored; every decision refuses an altered consent anyway
    return consents


def consent_history(session: Session, *, consent_id: str, subject: str) -> list[ConsentEvent]:
    """Every state change of the subject's own consent, oldest first."""
    consent = _load_own(session, consent_id, subject)
    return list(
        session.scalars(
            select(ConsentEvent)
            .where(ConsentEvent.consent_id == consent.id)
            .order_by(ConsentEvent.version)
        )
    )


def expire_if_due(session: Session, consent: Consent, *, now: datetime, keys: ConsentKeys) -> bool:
    """Persist ACTIVE|PAUSED -> EXPIRED once ``now`` is past ``not_after``; True if it did."""
    state = ConsentState(consent.state)
    if state in (ConsentState.REVOKED, ConsentState.EXPIRED) or now <= consent.not_after:
        return False
    transition(
        session,
        consent,
        ConsentState.EXPIRED,
        actor=SYSTEM_ACTOR,
        reason="validity ended",
        now=now,
        keys=keys,
    )
    return True


def transition(
    session: Session,
    consent: Consent,
    target: ConsentState,
    *,
    actor: str,
    reason: str | None,
    now: datetime,
    keys: ConsentKeys,
) -> None:
    """Change state, bump the version, re-sign, and record the event."""
    current = ConsentState(consent.state)
    check_transition(current, target)
    # Never re-sign (and so launder) a row that was altered behind the service's back.
    verify_consent(consent, keys)
    now = to_second(now)
    consent.state = target.value
    consent.version += 1
    consent.updated_at = max(now, consent.updated_at)
    sign_consent(consent, keys)
    _record(session, consent, current, actor=actor, reason=reason, at=consent.updated_at)
    session.flush()


def parse_consent_id(consent_id: str) -> str | None:
    """The canonical form of a UUID, or None if it is not one."""
    try:
        return str(uuid.UUID(consent_id))
    except (ValueError, TypeError, AttributeError):
        return None


def _change(
    session: Session,
    consent_id: str,
    subject: str,
    target: ConsentState,
    now: datetime,
    keys: ConsentKeys,
    actor: str,
    reason: str | None,
) -> Consent:
    if reason is not None and len(reason) > 500:
        raise InvalidConsentRequestError("reason is at most 500 characters")
    consent = _load_own(session, consent_id, subject, for_update=True)
    expire_if_due(session, consent, now=now, keys=keys)
    transition(session, consent, target, actor=actor, reason=reason, now=now, keys=keys)
    return consent


def _load_own(
    session: Session, consent_id: str, subject: str, *, for_update: bool = False
) -> Consent:
    key = parse_consent_id(consent_id)
    consent = None
    if key is not None:
        query = select(Consent).where(Consent.id == key)
        consent = session.scalars(query.with_for_update() if for_update else query).first()
    if consent is None or consent.subject != subject:
        raise ConsentNotFoundError()
    return consent


def _record(
    session: Session,
    consent: Consent,
    from_state: ConsentState | None,
    *,
    actor: str,
    reason: str | None,
    at: datetime,
) -> None:
    session.add(
        ConsentEvent(
            consent_id=consent.id,
            version=consent.version,
            from_state=from_state.value if from_state else None,
            to_state=consent.state,
            actor=actor[:100],
            at=at,
            reason=reason,
            signature=consent.signature,
        )
    )
