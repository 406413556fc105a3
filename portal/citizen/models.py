"""Documents a citizen is asked to sign, and the signed PDF once they did."""

from __future__ import annotations

from sqlalchemy import BigInteger, CheckConstraint, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from onedoor.db import Base

DOCUMENT_STATES = ("awaiting", "signed")


class PortalSigningDocument(Base):
    """One application awaiting the signature of the citizen ``person_id``.

    ``public_id`` is the opaque id in URLs; ``content`` the JSON of the application exactly as
    rendered (``idp.signing.render.Application``); times are Unix seconds.
    """

    __tablename__ = "portal_signing_document"
    __table_args__ = (
        CheckConstraint(
            "state IN (" + ", ".join(f"'{s}'" for s in DOCUMENT_STATES) + ")", name="state"
        ),
        Index("ix_portal_signing_document_person_state", "person_id", "state"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True)
    person_id: Mapped[str] = mapped_column(String(64))
    reference: Mapped[str] = mapped_column(String(64))
    content: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(16))
    signed_pdf: Mapped[bytes | None] = mapped_column(LargeBinary)
    created_at: Mapped[int] = mapped_column(BigInteger)
    signed_at: Mapped[int | None] = mapped_column(BigInteger)
