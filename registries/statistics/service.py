"""Statistics service: monthly counts of life events per province (no personal data)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from registries.errors import InconsistentRecordError
from registries.statistics.models import StatsEventCount

EVENTS = frozenset({"birth", "death", "marriage", "change-of-address"})


def count_event(session: Session, *, event: str, province_code: str, on: date, by: int = 1) -> int:
    """Add ``by`` to the count of ``event`` in a province for the month of ``on``."""
    if event not in EVENTS:
        raise InconsistentRecordError(f"unknown event kind {event[:32]!r}")
    if not (len(province_code) == 2 and province_code.isdigit() and 1 <= int(province_code) <= 18):
        raise InconsistentRecordError("province code must be 01-18")
    period = f"{on.year:04d}-{on.month:02d}"
    row = session.scalar(
        select(StatsEventCount).where(
            StatsEventCount.event == event,
            StatsEventCount.province_code == province_code,
            StatsEventCount.period == period,
        )
    )
    if row is None:
        row = StatsEventCount(event=event, province_code=province_code, period=period, count=0)
        session.add(row)
    row.count += by
    session.flush()
    return row.count


def event_counts(
    session: Session, *, event: str | None = None, period: str | None = None
) -> list[dict[str, str | int]]:
    query = select(StatsEventCount).order_by(
        StatsEventCount.period, StatsEventCount.event, StatsEventCount.province_code
    )
    if event is not None:
        query = query.where(StatsEventCount.event == event)
    if period is not None:
        query = query.where(StatsEventCount.period == period)
    return [
        {"event": r.event, "provinceCode": r.province_code, "period": r.period, "count": r.count}
        for r in session.scalars(query)
    ]
