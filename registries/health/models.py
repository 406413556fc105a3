"""Tables of the health system (prefix ``health_``)."""

from __future__ import annotations

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from onedoor.db import Base


class HealthImmunisationSchedule(Base):
    """A person's immunisation schedule; its document is an ImmunisationSchedule record."""

    __tablename__ = "health_immunisation_schedules"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    schedule_id: Mapped[str] = mapped_column(String(12), unique=True)
    person_id: Mapped[str] = mapped_column(String(12), index=True)
    document: Mapped[str] = mapped_column(Text)
