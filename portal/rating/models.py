"""One rating (1 to 5) per completed application, kept per centre."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, Integer, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from onedoor.db import Base


class PortalRating(Base):
    """How satisfied the citizen was with the centre; one row per application."""

    __tablename__ = "portal_rating"
    __table_args__ = (CheckConstraint("score BETWEEN 1 AND 5", name="score"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    centre_code: Mapped[str] = mapped_column(String(32), index=True)
    application_reference: Mapped[str] = mapped_column(String(64), unique=True)
    score: Mapped[int] = mapped_column(SmallInteger)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
