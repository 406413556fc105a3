"""Tables of the education system (prefix ``education_``)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from onedoor.db import Base


class EducationEnrolmentForecast(Base):
    """Children expected to start a level of school in a district and school year."""

    __tablename__ = "education_enrolment_forecasts"
    __table_args__ = (UniqueConstraint("district_code", "school_year", "level"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    district_code: Mapped[str] = mapped_column(String(4))
    school_year: Mapped[str] = mapped_column(String(9))
    level: Mapped[str] = mapped_column(String(16))
    expected_children: Mapped[int] = mapped_column(Integer)
    updated_on: Mapped[date] = mapped_column(Date)
