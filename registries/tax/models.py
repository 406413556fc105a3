"""Tables of the tax administration (prefix ``tax_``)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from onedoor.db import Base


class TaxTaxpayer(Base):
    """A taxpayer; its document is the current TaxpayerRecord."""

    __tablename__ = "tax_taxpayers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    tin: Mapped[str] = mapped_column(String(10), unique=True)
    person_id: Mapped[str | None] = mapped_column(String(12), index=True)
    registration_number: Mapped[str | None] = mapped_column(String(12), index=True)
    document: Mapped[str] = mapped_column(Text)


class TaxDeathNotice(Base):
    """The civil registry told the tax office that a person died (estate and final return)."""

    __tablename__ = "tax_death_notices"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[str] = mapped_column(String(12), unique=True)
    died_on: Mapped[date] = mapped_column(Date)
    tin: Mapped[str | None] = mapped_column(String(10))
    received_on: Mapped[date] = mapped_column(Date)
    source_event: Mapped[str] = mapped_column(String(200))
