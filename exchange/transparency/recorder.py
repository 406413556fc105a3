"""The provider gateway's AccessRecorder port, implemented by appending to this log.

Runs inside the gateway's decision transaction, so an access is logged exactly when the
decision (and, for consent, the counted use) commits; the plain identifier is pseudonymised
before anything is stored.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from exchange.gateway.consentcheck import AccessRecord
from exchange.transparency.entry import AccessEvent
from exchange.transparency.log import append_entries
from exchange.transparency.pseudonym import SubjectPseudonymizer

NO_USER = "(none)"  # X-Road-UserId is optional: a system-to-system call names no officer


class TransparencyRecorder:
    """Every allowed or refused access to personal data becomes a Merkle log entry."""

    def __init__(self, pseudonymizer: SubjectPseudonymizer) -> None:
        self._pseudonymizer = pseudonymizer

    def record(self, session: Session, access: AccessRecord) -> None:
        # A refusal for want of any consent or legal basis names no basis at all.
        has_basis = access.basis_reference is not None
        event = AccessEvent(
            member=access.member,
            user_id=access.user_id or NO_USER,
            service=access.service,
            data_items=access.data_items,
            purpose=access.purpose,
            basis_kind=access.basis_kind if has_basis else None,
            basis_reference=access.basis_reference,
            outcome=access.outcome,
            subject_id=access.subject_id,
            message_id=access.message_id,
            reason_code=access.reason_code,
            time=access.time,
        )
        append_entries(session, entries=[event], pseudonymizer=self._pseudonymizer)
