"""Education service: how many children each district should expect at school, per year."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from registries.documents import encode
from registries.education.models import EducationEnrolmentForecast
from registries.errors import RecordNotFoundError
from schemas.codec import JsonRecord

RECORD_TYPE = "SchoolEnrolmentForecast"
PRIMARY_ENTRY_AGE = 6


def school_year_for_birth(birth_date: date, *, level: str = "primary-1") -> str:
    """The school year (September start) a child born on ``birth_date`` enters ``level``."""
    age = PRIMARY_ENTRY_AGE if level == "primary-1" else PRIMARY_ENTRY_AGE - 1
    start = birth_date.year + age + (1 if birth_date.month >= 9 else 0)
    return f"{start}-{start + 1}"


def add_expected_child(
    session: Session,
    *,
    district_code: str,
    birth_date: date,
    updated_on: date,
    level: str = "primary-1",
    count: int = 1,
) -> JsonRecord:
    """Count a child (or remove one, ``count=-1``) in the forecast of their district."""
    year = school_year_for_birth(birth_date, level=level)
    row = _row(session, district_code, year, level)
    expected = max(0, (row.expected_children if row else 0) + count)
    data, _ = encode(RECORD_TYPE, _record(district_code, year, level, expected, updated_on))
    if row is None:
        row = EducationEnrolmentForecast(
            district_code=district_code,
            school_year=year,
            level=level,
            expected_children=0,
            updated_on=updated_on,
        )
        session.add(row)
    row.expected_children = expected
    row.updated_on = updated_on
    session.flush()
    return data


def get_forecast(
    session: Session, *, district_code: str, school_year: str, level: str = "primary-1"
) -> JsonRecord:
    row = _row(session, district_code, school_year, level)
    if row is None:
        raise RecordNotFoundError("no forecast for this district and school year")
    record = _record(district_code, school_year, level, row.expected_children, row.updated_on)
    data, _ = encode(RECORD_TYPE, record)
    return data


def _record(district: str, year: str, level: str, expected: int, updated_on: date) -> JsonRecord:
    return {
        "districtCode": district,
        "schoolYear": year,
        "level": level,
        "expectedChildren": expected,
        "updatedOn": updated_on.isoformat(),
    }


def _row(
    session: Session, district: str, year: str, level: str
) -> EducationEnrolmentForecast | None:
    return session.scalar(
        select(EducationEnrolmentForecast).where(
            EducationEnrolmentForecast.district_code == district,
            EducationEnrolmentForecast.school_year == year,
            EducationEnrolmentForecast.level == level,
        )
    )
