"""Provider-side consent and legal-basis enforcement (DESIGN.md "Consent, legal basis").

A request naming a data subject (``X-OneDoor-Subject``) is decided by the consent service's
:func:`exchange.consent.decision.decide` with the purpose (``X-OneDoor-Purpose``) and consent
reference (``X-OneDoor-Consent``) it carries. A request to a service whose policy needs a basis
but naming no subject is refused too. Every decision, allowed or refused, is handed to the
:class:`AccessRecorder` in the same transaction (the transparency log implements it), and a
refusal is raised as :class:`ConsentRefusedError` before anything reaches the member system.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal, Protocol

from sqlalchemy.orm import Session, sessionmaker

from exchange.consent.basis import get_service_policy
from exchange.consent.decision import Decision, decide
from exchange.consent.errors import ConsentError
from exchange.consent.signing import ConsentKeys
from exchange.gateway.errors import ConsentRefusedError
from exchange.gateway.sqlitelock import take_write_lock
from exchange.messages.header import MessageHeader
from exchange.xroad import rest
from exchange.xroad.identifiers import GROUP_PREFIX, ServiceId
from onedoor.db import transaction

log = logging.getLogger("onedoor.exchange.gateway")

# Refusals the gateway decides itself, before asking the consent service.
SUBJECT_MISSING = "subject_missing"
PURPOSE_MISSING = "purpose_missing"
INVALID_REQUEST = "invalid_consent_request"
SUBJECT_MISMATCH = "subject_mismatch"


@dataclass(frozen=True)
class AccessRecord:
    """One decided access to personal data (the fields of the transparency log's entry)."""

    member: str
    user_id: str
    service: str
    data_items: tuple[str, ...]
    purpose: str
    basis_kind: Literal["consent", "legal_basis"] | None
    basis_reference: str | None
    outcome: Literal["allowed", "refused"]
    subject_id: str
    message_id: str
    reason_code: str | None
    time: datetime

    def __repr__(self) -> str:
        return f"AccessRecord(member={self.member!r}, service={self.service!r}, subject=***)"


class AccessRecorder(Protocol):
    """Where decisions go; runs in the decision's transaction (append, never commit)."""

    def record(self, session: Session, access: AccessRecord) -> None: ...


class LoggingAccessRecorder:
    """A stand-in recorder: one log line per decision, without the subject."""

    def record(self, session: Session, access: AccessRecord) -> None:
        log.info(
            "access decided",
            extra={"event": f"access_{access.outcome}", "member": access.member,
                   "service": access.service, "message_id": access.message_id,
                   "error_code": access.reason_code},
        )


# Checks that the request is about the subject it names (the path, before the call).
SubjectCheck = Callable[[str, str], None]


def subject_is_last_segment(path: str, subject: str) -> None:
    """``/.../{subject}``: the record asked for is the named subject's own."""
    segments = path.split("?", 1)[0].rstrip("/").split("/")
    if segments[-1] != subject:
        raise ConsentRefusedError(SUBJECT_MISMATCH)


# Checks that the member system's reply is about the named subject (body, content type).
ReplySubjectCheck = Callable[[bytes, str | None, str], None]


def subject_in_household(body: bytes, content_type: str | None, subject: str) -> None:
    """A Household record (JSON form) that lists the subject among its members."""
    try:
        data = json.loads(body)
        members = data["members"]["member"]
        ids = {m["personId"] for m in (members if isinstance(members, list) else [members])}
    except (ValueError, KeyError, TypeError):
        raise ConsentRefusedError(SUBJECT_MISMATCH) from None
    if subject not in ids:
        raise ConsentRefusedError(SUBJECT_MISMATCH)


@dataclass(frozen=True)
class ConsentEnforcement:
    keys: ConsentKeys
    recorder: AccessRecorder = field(default_factory=LoggingAccessRecorder)
    subject_checks: Mapping[ServiceId, SubjectCheck] = field(default_factory=dict)
    reply_checks: Mapping[ServiceId, ReplySubjectCheck] = field(default_factory=dict)


def check_reply_subject(
    enforcement: ConsentEnforcement, *, header: MessageHeader, status: int, body: bytes,
    content_type: str | None,
) -> None:
    """Refuse a successful reply that is not about the subject the request named."""
    check = enforcement.reply_checks.get(header.service)
    subject = header.headers.get(rest.SUBJECT)
    if check is None or subject is None or not 200 <= status < 300:
        return
    check(body, content_type, subject)


@dataclass(frozen=True)
class ConsentOutcome:
    """A recorded decision; ``None`` when the service needs no basis for this request."""

    decision: Decision | None
    reason: str | None = None

    def raise_if_refused(self) -> Decision | None:
        """Raise ConsentRefusedError for a refusal (call it once the record is committed)."""
        if self.decision is not None and not self.decision.allowed:
            raise ConsentRefusedError(self.reason or "no_basis")
        return self.decision


def enforce_consent(
    *,
    enforcement: ConsentEnforcement,
    sessions: sessionmaker[Session],
    header: MessageHeader,
    path: str,
    groups: frozenset[str],
    now: datetime,
) -> Decision | None:
    """Decide and record; raises ConsentRefusedError; None when no basis is needed."""
    with transaction(sessions) as session:
        take_write_lock(session)
        outcome = decide_and_record(
            session, enforcement=enforcement, header=header, path=path, groups=groups, now=now
        )
    return outcome.raise_if_refused()


def decide_and_record(
    session: Session,
    *,
    enforcement: ConsentEnforcement,
    header: MessageHeader,
    path: str,
    groups: frozenset[str],
    now: datetime,
) -> ConsentOutcome:
    """Decide and record in the caller's transaction, which must commit before a refusal is
    raised (``raise_if_refused``) so the refusal stays recorded."""
    subject = header.headers.get(rest.SUBJECT)
    purpose = header.headers.get(rest.PURPOSE, "")
    service = str(header.service)
    if subject is None:
        policy = get_service_policy(session, service)
        if policy is None:
            return ConsentOutcome(None)
        decision = Decision(False, reason=None, data_items=tuple(policy.data_items))
        reason: str | None = SUBJECT_MISSING
    else:
        decision, reason = _decide(
            session, enforcement, header=header, subject=subject, purpose=purpose,
            path=path, groups=groups, now=now,
        )
    enforcement.recorder.record(
        session,
        AccessRecord(
            member=str(header.client), user_id=header.headers.get(rest.USER_ID, ""),
            service=service, data_items=decision.data_items, purpose=purpose,
            basis_kind=None if decision.basis_kind is None else decision.basis_kind.value,
            basis_reference=decision.basis_ref,
            outcome="allowed" if decision.allowed else "refused",
            subject_id=subject or "", message_id=header.message_id,
            reason_code=reason, time=now,
        ),
    )
    return ConsentOutcome(decision, reason)


def _decide(
    session: Session,
    enforcement: ConsentEnforcement,
    *,
    header: MessageHeader,
    subject: str,
    purpose: str,
    path: str,
    groups: frozenset[str],
    now: datetime,
) -> tuple[Decision, str | None]:
    check = enforcement.subject_checks.get(header.service)
    try:
        if check is not None:
            check(path, subject)
    except ConsentRefusedError as exc:
        return Decision(False), exc.reason
    if not purpose:
        return Decision(False), PURPOSE_MISSING
    try:
        decision = decide(
            session, consumer=str(header.client), service=str(header.service),
            subject=subject, purpose=purpose, consent_ref=header.headers.get(rest.CONSENT),
            data_items=(), now=now, keys=enforcement.keys,
            consumer_groups=[g.removeprefix(GROUP_PREFIX).split("/")[-1] for g in groups],
        )
    except ConsentError:
        return Decision(False), INVALID_REQUEST
    return decision, None if decision.allowed else str(decision.reason or "no_basis")
