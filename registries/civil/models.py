"""Tables of the civil registry (prefix ``civil_``)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from onedoor.db import Base


class CivilPerson(Base):
    """The current register entry of a person; its document is a Person record."""

    __tablename__ = "civil_persons"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[str] = mapped_column(String(12), unique=True)
    sex: Mapped[str] = mapped_column(String(1))
    birth_date: Mapped[date] = mapped_column(Date)
    death_date: Mapped[date | None] = mapped_column(Date)
    family_name_roman: Mapped[str] = mapped_column(String(80), index=True)
    document: Mapped[str] = mapped_column(Text)


class CivilRecord(Base):
    """One version of a birth, death or marriage record; corrections add versions."""

    __tablename__ = "civil_records"
    __table_args__ = (UniqueConstraint("record_id", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    record_id: Mapped[str] = mapped_column(String(12))
    version: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))
    state: Mapped[str] = mapped_column(String(16))
    subject_id: Mapped[str] = mapped_column(String(12), index=True)
    other_id: Mapped[str | None] = mapped_column(String(12), index=True)
    event_date: Mapped[date] = mapped_column(Date)
    is_current: Mapped[bool]
    document: Mapped[str] = mapped_column(Text)
