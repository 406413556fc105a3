"""Tables of the business registry (prefix ``business_``)."""

from __future__ import annotations

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from onedoor.db import Base


class BusinessRegistrationRow(Base):
    """An enterprise; its document is the current BusinessRegistration record."""

    __tablename__ = "business_registrations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    registration_number: Mapped[str] = mapped_column(String(12), unique=True)
    owner_id: Mapped[str] = mapped_column(String(12), index=True)
    status: Mapped[str] = mapped_column(String(16))
    document: Mapped[str] = mapped_column(Text)
