"""The access decision the provider gateway asks for each request about a person.

A request rests on a consent or on a legal basis, as the service's policy says; without a
policy or a basis it is refused (deny by default). A refusal is returned, not raised, so the
gateway can log it; :meth:`Decision.raise_if_refused` turns it into :class:`ConsentRefused`.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ScalarSelect, literal_column, select, update
from sqlalchemy.orm import Session

from exchange.consent import identifiers
from exchange.consent.artefact import verify_consent
from exchange.consent.basis import BasisKind, get_service_policy, legal_bases_for
from exchange.consent.errors import (
    ConsentRefused,
    ConsentSignatureInvalidError,
    InvalidConsentRequestError,
    RefusalReason,
)
from exchange.consent.models import Consent, ConsentEvent, LegalBasis
from exchange.consent.service import expire_if_due, parse_consent_id
from exchange.consent.signing import ConsentKeys
from exchange.consent.states import ConsentState

_STATE_REFUSALS = {
    ConsentState.REVOKED: RefusalReason.CONSENT_REVOKED,
    ConsentState.EXPIRED: RefusalReason.CONSENT_EXPIRED,
    ConsentState.PAUSED: RefusalReason.CONSENT_PAUSED,
}


# The consent row (None if unknown) and the signature of its latest recorded event.
_Locked = tuple[Consent | None, str | None]


@dataclass(frozen=True)
class Decision:
    """Allowed or refused; what it rests on; on refusal, a stable reason code."""

    allowed: bool
    basis_kind: BasisKind | None = None
    basis_ref: str | None = None
    reason: RefusalReason | None = None
    data_items: tuple[str, ...] = ()

    def raise_if_refused(self) -> None:
        if not self.allowed:
            raise ConsentRefused(self.reason or RefusalReason.NO_BASIS)


def decide(
    session: Session,
    *,
    consumer: str,
    service: str,
    subject: str,
    purpose: str,
    consent_ref: str | None,
    data_items: Sequence[str],
    now: datetime,
    keys: ConsentKeys,
    consumer_groups: Collection[str] = (),
) -> Decision:
    """Decide one request; an allowed consent-based request counts one use atomically.

    The items checked are those requested plus every item the service returns (its policy),
    so a narrow request cannot unlock a broad service. ``consumer_groups`` are the codes of
    the global groups the consumer belongs to (legal bases may name ``group:CODE``). On
    SQLite, call it before any other read in the transaction (it takes the write lock).
    """
    identifiers.member_id(consumer, what="consumer")
    identifiers.service_id(service)
    if now.tzinfo is None:
        raise InvalidConsentRequestError("now must be timezone-aware")
    key = parse_consent_id(consent_ref) if consent_ref is not None else None
    locked: _Locked | None = None
    if key is not None and session.get_bind().dialect.name == "sqlite":
        # SQLite has no row locks, and a transaction that has read cannot take the write lock
        # once another writer committed: take it first, with a write that reads the row back.
        locked = _lock(session, key)
    policy = get_service_policy(session, service)
    if policy is None:
        return Decision(allowed=False, reason=RefusalReason.NO_BASIS)
    items = tuple(sorted(set(data_items) | set(policy.data_items)))
    if policy.mode == BasisKind.LEGAL_BASIS:
        return _by_legal_basis(
            legal_bases_for(session, service), consumer, set(consumer_groups), purpose, items, now
        )
    return _by_consent(
        session,
        consent_ref,
        consumer=consumer,
        service=service,
        subject=subject,
        purpose=purpose,
        items=items,
        now=now,
        keys=keys,
        locked=locked,
    )


def _by_legal_basis(
    bases: list[LegalBasis],
    consumer: str,
    groups: set[str],
    purpose: str,
    items: tuple[str, ...],
    now: datetime,
) -> Decision:
    reasons: list[RefusalReason] = []
    for basis in bases:
        if basis.consumer.startswith("group:"):
            if basis.consumer.removeprefix("group:") not in groups:
                continue
        elif not identifiers.covers(basis.consumer, consumer):
            continue
        if now < basis.valid_from or (basis.valid_to is not None and now >= basis.valid_to):
            reasons.append(RefusalReason.LEGAL_BASIS_NOT_IN_FORCE)
        elif purpose not in basis.purposes:
            reasons.append(RefusalReason.PURPOSE_MISMATCH)
        elif not set(items) <= set(basis.data_items):
            reasons.append(RefusalReason.DATA_ITEMS_NOT_COVERED)
        else:
            return Decision(True, BasisKind.LEGAL_BASIS, basis.law_reference, data_items=items)
    return Decision(
        False,
        BasisKind.LEGAL_BASIS,
        reason=reasons[0] if reasons else RefusalReason.NO_BASIS,
        data_items=items,
    )


def _by_consent(
    session: Session,
    consent_ref: str | None,
    *,
    consumer: str,
    service: str,
    subject: str,
    purpose: str,
    items: tuple[str, ...],
    now: datetime,
    keys: ConsentKeys,
    locked: _Locked | None,
) -> Decision:
    def refuse(reason: RefusalReason, ref: str | None = None) -> Decision:
        return Decision(False, BasisKind.CONSENT, ref, reason, items)

    if consent_ref is None:
        return refuse(RefusalReason.NO_BASIS)
    key = parse_consent_id(consent_ref)
    if key is None:
        return refuse(RefusalReason.CONSENT_NOT_FOUND)
    consent, latest_signature = locked or _lock(session, key)
    if consent is None:
        return refuse(RefusalReason.CONSENT_NOT_FOUND)
    try:
        verify_consent(consent, keys)
    except ConsentSignatureInvalidError:
        return refuse(RefusalReason.CONSENT_SIGNATURE_INVALID, key)
    if latest_signature != consent.signature:
        # A validly signed but older version put back in place (state rolled back).
        return refuse(RefusalReason.CONSENT_SIGNATURE_INVALID, key)
    if consent.subject != subject:
        return refuse(RefusalReason.CONSENT_OTHER_SUBJECT)
    expire_if_due(session, consent, now=now, keys=keys)
    state_refusal = _STATE_REFUSALS.get(ConsentState(consent.state))
    if state_refusal is not None:
        return refuse(state_refusal, key)
    if now < consent.not_before:
        return refuse(RefusalReason.CONSENT_NOT_YET_VALID, key)
    if not identifiers.covers(consent.consumer, consumer):
        return refuse(RefusalReason.CONSUMER_MISMATCH, key)
    provider = identifiers.service_provider(service)
    if not any(identifiers.covers(granted, provider) for granted in consent.providers):
        return refuse(RefusalReason.PROVIDER_MISMATCH, key)
    if purpose != consent.purpose:
        return refuse(RefusalReason.PURPOSE_MISMATCH, key)
    if not set(items) <= set(consent.data_items):
        return refuse(RefusalReason.DATA_ITEMS_NOT_COVERED, key)
    if consent.max_uses is not None and consent.uses >= consent.max_uses:
        return refuse(RefusalReason.CONSENT_USED_UP, key)
    consent.uses += 1
    consent.last_used_at = now
    session.flush()
    return Decision(True, BasisKind.CONSENT, key, data_items=items)


def _latest_signature() -> ScalarSelect[str]:
    # Qualified by hand: SQLite's RETURNING renders the outer columns unqualified, where
    # ``id`` would name the event's own id inside the subquery.
    return (
        select(ConsentEvent.signature)
        .where(ConsentEvent.consent_id == literal_column(f"{Consent.__tablename__}.id"))
        .order_by(ConsentEvent.version.desc())
        .limit(1)
        .scalar_subquery()
    )


def _lock(session: Session, key: str) -> _Locked:
    """Lock the consent row; return it with the signature of its latest event, in one statement.

    SQLite: a write that changes nothing takes the database write lock and reads the row back
    (RETURNING). PostgreSQL: SELECT ... FOR UPDATE OF the consent row.
    """
    latest = _latest_signature()
    if session.get_bind().dialect.name == "sqlite":
        statement: Any = (
            update(Consent)
            .where(Consent.id == key)
            .values(uses=Consent.uses)
            .returning(Consent, latest)
        )
    else:
        statement = select(Consent, latest).where(Consent.id == key).with_for_update(of=Consent)
    options = {"populate_existing": True, "synchronize_session": False}
    row = session.execute(statement, execution_options=options).first()
    if row is None:
        return None, None
    return row[0], row[1]
