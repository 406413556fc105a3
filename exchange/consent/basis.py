"""Per-service rules: consent or legal basis (``consent_service_policy``), and the laws."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from exchange.consent import identifiers
from exchange.consent.errors import InvalidConsentRequestError
from exchange.consent.models import LegalBasis, ServicePolicy
from exchange.consent.purposes import require_purposes


class BasisKind(StrEnum):
    """What a data request about a person rests on."""

    CONSENT = "consent"
    LEGAL_BASIS = "legal_basis"


def set_service_policy(
    session: Session, *, service: str, mode: BasisKind | str, data_items: Sequence[str]
) -> ServicePolicy:
    """Declare (or change) whether ``service`` needs consent and which items it returns."""
    try:
        kind = BasisKind(mode)
    except ValueError:
        raise InvalidConsentRequestError("mode is 'consent' or 'legal_basis'") from None
    policy = session.get(ServicePolicy, identifiers.service_id(service))
    policy = policy or ServicePolicy(service=service)
    policy.mode = kind.value
    policy.data_items = identifiers.data_items(data_items)
    session.add(policy)
    session.flush()
    return policy


def get_service_policy(session: Session, service: str) -> ServicePolicy | None:
    return session.get(ServicePolicy, service)


def add_legal_basis(
    session: Session,
    *,
    service: str,
    consumer: str,
    law_reference: str,
    purposes: Sequence[str],
    data_items: Sequence[str],
    valid_from: datetime,
    valid_to: datetime | None = None,
) -> LegalBasis:
    """Register a law letting ``consumer`` (member or ``group:CODE``) call ``service``."""
    if not law_reference.strip() or len(law_reference) > 500:
        raise InvalidConsentRequestError("law reference needs 1 to 500 characters")
    if valid_from.tzinfo is None or (valid_to is not None and valid_to.tzinfo is None):
        raise InvalidConsentRequestError("validity times need a time zone")
    if valid_to is not None and valid_to <= valid_from:
        raise InvalidConsentRequestError("valid_to must be after valid_from")
    basis = LegalBasis(
        service=identifiers.service_id(service),
        consumer=identifiers.member_or_group(consumer),
        law_reference=law_reference.strip(),
        purposes=require_purposes(session, purposes),
        data_items=identifiers.data_items(data_items),
        valid_from=valid_from,
        valid_to=valid_to,
    )
    if not basis.purposes:
        raise InvalidConsentRequestError("name at least one purpose")
    session.add(basis)
    session.flush()
    return basis


def legal_bases_for(session: Session, service: str) -> list[LegalBasis]:
    return list(
        session.scalars(
            select(LegalBasis).where(LegalBasis.service == service).order_by(LegalBasis.id)
        )
    )
