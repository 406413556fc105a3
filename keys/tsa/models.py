"""Serial numbers of issued timestamp tokens: one row per token (RFC 3161 section 2.4.2).

The database hands out the serial number, so several TSA replicas never reuse one; the row also
records what was timestamped and when, for the TSA's audit trail.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from onedoor.db import Base


class KeysTsaSerial(Base):
    """One issued TimeStampToken; ``id`` is its serialNumber."""

    __tablename__ = "keys_tsa_serial"
    # Never reuse the serial of a deleted row (SQLite would, without AUTOINCREMENT).
    __table_args__ = ({"sqlite_autoincrement": True},)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    gen_time: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    hash_algorithm: Mapped[str] = mapped_column(String(16))
    message_digest: Mapped[str] = mapped_column(String(128))
