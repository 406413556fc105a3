"""How each account's identity was checked: evidence, officer, centre, time, level."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from onedoor.db import Base
from onedoor.dbtypes import UtcDateTime


class ProofingRecord(Base):
    __tablename__ = "idp_proofing_record"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("idp_accounts_account.id"), index=True)
    person_id: Mapped[str] = mapped_column(String(64))
    method: Mapped[str] = mapped_column(String(16))
    evidence: Mapped[str] = mapped_column(String(200))
    level: Mapped[str] = mapped_column(String(16))
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("idp_accounts_account.id"))
    centre_id: Mapped[int | None] = mapped_column(ForeignKey("idp_accounts_centre.id"))
    checked_at: Mapped[datetime] = mapped_column(UtcDateTime())
