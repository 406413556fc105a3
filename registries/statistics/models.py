"""Tables of the statistics bureau (prefix ``stats_``)."""

from __future__ import annotations

from sqlalchemy import Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from onedoor.db import Base


class StatsEventCount(Base):
    """How many life events of a kind happened in a province in a month."""

    __tablename__ = "stats_event_counts"
    __table_args__ = (UniqueConstraint("event", "province_code", "period"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event: Mapped[str] = mapped_column(String(32))
    province_code: Mapped[str] = mapped_column(String(2))
    period: Mapped[str] = mapped_column(String(7))
    count: Mapped[int] = mapped_column(Integer)
