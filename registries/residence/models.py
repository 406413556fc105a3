"""Tables of the residence registry (prefix ``residence_``)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from onedoor.db import Base


class ResidenceRecord(Base):
    """One version of where a person lives; the newest is current."""

    __tablename__ = "residence_records"
    __table_args__ = (UniqueConstraint("person_id", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[str] = mapped_column(String(12))
    version: Mapped[int] = mapped_column(Integer)
    village_code: Mapped[str] = mapped_column(String(7), index=True)
    valid_from: Mapped[date] = mapped_column(Date)
    is_current: Mapped[bool]
    document: Mapped[str] = mapped_column(Text)
