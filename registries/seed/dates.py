"""Dates for the seeder: a fixed reference day, never today, so a seed always gives one result."""

from __future__ import annotations

import random
from datetime import date, timedelta

REFERENCE_DATE = date(2025, 1, 1)
# Births, marriages and deaths happen no later than this, so declaring and registering them
# (up to 37 days) still falls before the reference date.
LAST_EVENT = REFERENCE_DATE - timedelta(days=60)
# Persons born earlier entered the register from the family book, without a birth record;
# marriages before it were never registered.
CIVIL_RECORDS_FROM = date(1980, 1, 1)


def plus_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def between(rng: random.Random, start: date, end: date) -> date:
    """A day from ``start`` to ``end`` inclusive (``start`` when the range is empty)."""
    span = (end - start).days
    return start if span <= 0 else start + timedelta(days=rng.randrange(span + 1))


def born_aged(rng: random.Random, low: int, high: int) -> date:
    """A birth date of someone aged ``low`` to ``high`` years on the reference date."""
    return between(
        rng,
        plus_years(REFERENCE_DATE, -high - 1) + timedelta(days=1),
        plus_years(REFERENCE_DATE, -low),
    )


def age_on(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))
