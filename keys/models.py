"""Issued certificates, kept so CRLs and OCSP can answer for them (RFC 5280 section 5)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from onedoor.db import Base

GOOD = "good"
REVOKED = "revoked"


class KeysCertificate(Base):
    """One certificate issued by one of our CAs; ``serial`` is lower-case hex."""

    __tablename__ = "keys_certificate"
    __table_args__ = (
        UniqueConstraint("issuer", "serial"),
        CheckConstraint("status IN ('good', 'revoked')", name="status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    issuer: Mapped[str] = mapped_column(String(64))
    serial: Mapped[str] = mapped_column(String(64))
    profile: Mapped[str] = mapped_column(String(32))
    subject: Mapped[str] = mapped_column(String(1024))
    member_id: Mapped[str | None] = mapped_column(String(255), index=True)
    fingerprint: Mapped[str] = mapped_column(String(64), unique=True)
    not_before: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    not_after: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    status: Mapped[str] = mapped_column(String(16), default=GOOD)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    reason: Mapped[str | None] = mapped_column(String(32))
    pem: Mapped[str] = mapped_column(Text)
