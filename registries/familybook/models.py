"""Tables of the family book (prefix ``familybook_``)."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from onedoor.db import Base


class FamilybookHousehold(Base):
    """A household; its document is the current Household record."""

    __tablename__ = "familybook_households"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    household_id: Mapped[str] = mapped_column(String(12), unique=True)
    head_id: Mapped[str] = mapped_column(String(12))
    village_code: Mapped[str] = mapped_column(String(7), index=True)
    version: Mapped[int] = mapped_column(Integer)
    document: Mapped[str] = mapped_column(Text)


class FamilybookMember(Base):
    """Index of who belongs to which household, kept in step with the documents."""

    __tablename__ = "familybook_members"
    __table_args__ = (UniqueConstraint("household_id", "person_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    household_id: Mapped[str] = mapped_column(
        String(12), ForeignKey("familybook_households.household_id")
    )
    person_id: Mapped[str] = mapped_column(String(12), index=True)
    relationship: Mapped[str] = mapped_column(String(16))
