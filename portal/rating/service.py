"""Record a rating and summarise ratings per centre; plain functions, no HTTP."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from portal.errors import AlreadyDoneError, InvalidFormError
from portal.rating.models import PortalRating

SCORES = (1, 2, 3, 4, 5)
CENTRE_CODE = re.compile(r"\A[A-Z0-9][A-Z0-9-]{1,31}\Z")
APPLICATION_REFERENCE = re.compile(r"\A[A-Za-z0-9][A-Za-z0-9-]{3,63}\Z")


@dataclass(frozen=True)
class RatingSummary:
    """How one centre is rated: count, mean score and how many gave each score."""

    centre_code: str
    count: int
    average: float | None
    distribution: dict[int, int]


def submit_rating(
    session: Session, *, centre_code: str, application_reference: str, score: int, now: datetime
) -> PortalRating:
    """Store one rating; InvalidFormError on bad input, AlreadyDoneError on a second rating."""
    if not CENTRE_CODE.match(centre_code):
        raise InvalidFormError("centre code is not valid")
    if not APPLICATION_REFERENCE.match(application_reference):
        raise InvalidFormError("application reference is not valid")
    if score not in SCORES:
        raise InvalidFormError("score must be 1 to 5")
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    rating = PortalRating(
        centre_code=centre_code, application_reference=application_reference,
        score=score, created_at=now,
    )
    try:
        with session.begin_nested():
            session.add(rating)
            session.flush()
    except IntegrityError as exc:
        raise AlreadyDoneError("this application was already rated") from exc
    return rating


def centre_rating_summary(session: Session, *, centre_code: str) -> RatingSummary:
    """The summary of one centre (count 0 and average None when nobody rated it yet)."""
    rows = session.execute(
        select(PortalRating.score, func.count())
        .where(PortalRating.centre_code == centre_code)
        .group_by(PortalRating.score)
    ).all()
    return _summary(centre_code, {int(score): int(count) for score, count in rows})


def rating_summaries(session: Session) -> list[RatingSummary]:
    """A summary for every centre that has ratings, ordered by centre code."""
    rows = session.execute(
        select(PortalRating.centre_code, PortalRating.score, func.count())
        .group_by(PortalRating.centre_code, PortalRating.score)
        .order_by(PortalRating.centre_code)
    ).all()
    counts: dict[str, dict[int, int]] = {}
    for centre, score, count in rows:
        counts.setdefault(str(centre), {})[int(score)] = int(count)
    return [_summary(centre, by_score) for centre, by_score in counts.items()]


def _summary(centre_code: str, by_score: dict[int, int]) -> RatingSummary:
    distribution = {score: by_score.get(score, 0) for score in SCORES}
    count = sum(distribution.values())
    total = sum(score * n for score, n in distribution.items())
    return RatingSummary(
        centre_code=centre_code,
        count=count,
        average=round(total / count, 2) if count else None,
        distribution=distribution,
    )
