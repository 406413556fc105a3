"""Tables of accounts: centres, accounts of every kind, and failed-attempt counters."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from onedoor.db import Base
from onedoor.dbtypes import UtcDateTime


class Centre(Base):
    """A one-door service centre; officers belong to one."""

    __tablename__ = "idp_accounts_centre"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name_lo: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    province: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class Account(Base):
    """A citizen or staff account (see :mod:`idp.accounts.rights` for the kinds)."""

    __tablename__ = "idp_accounts_account"
    __table_args__ = (
        CheckConstraint(
            "kind IN ('citizen', 'officer', 'data_protection_officer', 'operator')", name="kind"
        ),
        CheckConstraint("kind <> 'officer' OR centre_id IS NOT NULL", name="officer_centre"),
        CheckConstraint("assurance_level IN ('low', 'substantial', 'high')", name="level"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subject: Mapped[str] = mapped_column(String(64), unique=True)
    login: Mapped[str] = mapped_column(String(128), unique=True)
    kind: Mapped[str] = mapped_column(String(32))
    centre_id: Mapped[int | None] = mapped_column(
        ForeignKey("idp_accounts_centre.id"), index=True
    )
    person_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    password_must_change: Mapped[bool] = mapped_column(Boolean, default=False)
    assurance_level: Mapped[str] = mapped_column(String(16))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    password_changed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class Throttle(Base):
    """Failed attempts per login name or per source address (shared by every replica)."""

    __tablename__ = "idp_accounts_throttle"

    scope: Mapped[str] = mapped_column(String(16), primary_key=True)
    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    window_started_at: Mapped[datetime] = mapped_column(UtcDateTime())
    last_failure_at: Mapped[datetime] = mapped_column(UtcDateTime())
    locked_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
