"""Tables of the tax administration (prefix ``tax_``)."""

from __future__ import annotations

from sqlalchemy import Integer, String, Text
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
