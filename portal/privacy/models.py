"""What data-protection officers looked at: every search, export and audit they ran."""

from __future__ import annotations

from sqlalchemy import BigInteger, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from onedoor.db import Base


class PortalPrivacySearch(Base):
    """One action of a DPO on the access log; ``criteria`` is JSON with the subject only as
    its pseudonym (the typed person identifier is never stored); times are Unix seconds."""

    __tablename__ = "portal_privacy_search"
    __table_args__ = (Index("ix_portal_privacy_search_officer", "officer_subject", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    officer_subject: Mapped[str] = mapped_column(String(255))
    action: Mapped[str] = mapped_column(String(16))
    criteria: Mapped[str] = mapped_column(Text)
    result_count: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[int] = mapped_column(BigInteger)
