"""The purpose catalogue: the codes a consent or a legal basis may name."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from exchange.consent import identifiers
from exchange.consent.errors import InvalidConsentRequestError, UnknownPurposeError
from exchange.consent.models import Purpose


def list_purposes(session: Session) -> list[Purpose]:
    return list(session.scalars(select(Purpose).order_by(Purpose.code)))


def require_purposes(session: Session, codes: Iterable[str]) -> list[str]:
    """The sorted codes, each checked against the catalogue; raises UnknownPurposeError."""
    wanted = sorted({identifiers.purpose_code(code) for code in codes})
    known = set(session.scalars(select(Purpose.code).where(Purpose.code.in_(wanted))))
    missing = [code for code in wanted if code not in known]
    if missing:
        raise UnknownPurposeError(f"unknown purpose {missing[0]!r}")
    return wanted


def add_purpose(
    session: Session, *, code: str, description_lo: str, description_en: str
) -> Purpose:
    """Add a purpose, or update the descriptions of an existing one."""
    code = identifiers.purpose_code(code)
    for text in (description_lo, description_en):
        if not text.strip() or len(text) > 300:
            raise InvalidConsentRequestError("a description needs 1 to 300 characters")
    purpose = session.get(Purpose, code) or Purpose(code=code)
    purpose.description_lo = description_lo.strip()
    purpose.description_en = description_en.strip()
    session.add(purpose)
    session.flush()
    return purpose
