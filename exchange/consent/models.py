"""Tables of the consent service: purposes, consents and their history, legal bases, previews."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from onedoor.db import Base
from onedoor.dbtypes import UtcDateTime

STATES = "'ACTIVE', 'PAUSED', 'REVOKED', 'EXPIRED'"


class Purpose(Base):
    """An entry of the purpose catalogue a consent or legal basis names."""

    __tablename__ = "consent_purpose"

    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    description_lo: Mapped[str] = mapped_column(String(300))
    description_en: Mapped[str] = mapped_column(String(300))


class Consent(Base):
    """One consent artefact (ISO/IEC TS 27560, DEPA); ``signature`` covers its current version."""

    __tablename__ = "consent_record"
    __table_args__ = (
        CheckConstraint(f"state IN ({STATES})", name="state"),
        CheckConstraint("max_uses IS NULL OR max_uses > 0", name="max_uses"),
        CheckConstraint("uses >= 0", name="uses"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    subject: Mapped[str] = mapped_column(String(64), index=True)
    consumer: Mapped[str] = mapped_column(String(300))
    providers: Mapped[list[str]] = mapped_column(JSON)
    data_items: Mapped[list[str]] = mapped_column(JSON)
    purpose: Mapped[str] = mapped_column(ForeignKey("consent_purpose.code"))
    not_before: Mapped[datetime] = mapped_column(UtcDateTime())
    not_after: Mapped[datetime] = mapped_column(UtcDateTime())
    max_uses: Mapped[int | None] = mapped_column(Integer)
    # The use counter is not part of the signed artefact: it changes on every use.
    uses: Mapped[int] = mapped_column(Integer, default=0)
    state: Mapped[str] = mapped_column(String(16))
    version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())
    last_used_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    signature: Mapped[str] = mapped_column(Text)


class ConsentEvent(Base):
    """One state change of a consent (creation included), with the signature it produced."""

    __tablename__ = "consent_event"
    __table_args__ = (
        CheckConstraint(f"from_state IS NULL OR from_state IN ({STATES})", name="from_state"),
        CheckConstraint(f"to_state IN ({STATES})", name="to_state"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    consent_id: Mapped[str] = mapped_column(ForeignKey("consent_record.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    from_state: Mapped[str | None] = mapped_column(String(16))
    to_state: Mapped[str] = mapped_column(String(16))
    actor: Mapped[str] = mapped_column(String(100))
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    reason: Mapped[str | None] = mapped_column(String(500))
    signature: Mapped[str] = mapped_column(Text)


class LegalBasis(Base):
    """A law that lets a consumer (member or ``group:CODE``) use a service without consent."""

    __tablename__ = "consent_legal_basis"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    service: Mapped[str] = mapped_column(String(400), index=True)
    consumer: Mapped[str] = mapped_column(String(300))
    law_reference: Mapped[str] = mapped_column(String(500))
    purposes: Mapped[list[str]] = mapped_column(JSON)
    data_items: Mapped[list[str]] = mapped_column(JSON)
    valid_from: Mapped[datetime] = mapped_column(UtcDateTime())
    valid_to: Mapped[datetime | None] = mapped_column(UtcDateTime())


class ServicePolicy(Base):
    """Whether a service needs consent or rests on a legal basis, and what it returns."""

    __tablename__ = "consent_service_policy"
    __table_args__ = (CheckConstraint("mode IN ('consent', 'legal_basis')", name="mode"),)

    service: Mapped[str] = mapped_column(String(400), primary_key=True)
    mode: Mapped[str] = mapped_column(String(16))
    data_items: Mapped[list[str]] = mapped_column(JSON)


class Preview(Base):
    """Registry data fetched for an application, sealed until the citizen approves or stops it."""

    __tablename__ = "consent_preview"
    __table_args__ = (
        CheckConstraint("decision IS NULL OR decision IN ('approved', 'stopped')", name="decision"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    application_ref: Mapped[str] = mapped_column(String(100), index=True)
    subject: Mapped[str] = mapped_column(String(64), index=True)
    sealed_items: Mapped[bytes | None] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime())
    decision: Mapped[str | None] = mapped_column(String(16))
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    decided_by: Mapped[str | None] = mapped_column(String(100))
