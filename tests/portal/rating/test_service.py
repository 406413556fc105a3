"""Ratings: one per application, 1 to 5, summarised per centre (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.errors import AlreadyDoneError, InvalidFormError
from portal.rating.models import PortalRating
from portal.rating.service import centre_rating_summary, rating_summaries, submit_rating

NOW = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)


def _rate(session: Session, centre: str, reference: str, score: int) -> PortalRating:
    return submit_rating(
        session, centre_code=centre, application_reference=reference, score=score, now=NOW
    )


def test_ratings_are_summarised_per_centre(db_session: Session) -> None:
    for reference, score in (("APP-0001", 5), ("APP-0002", 4), ("APP-0003", 4)):
        _rate(db_session, "VTE-01", reference, score)
    _rate(db_session, "LPB-02", "APP-0004", 1)

    vientiane = centre_rating_summary(db_session, centre_code="VTE-01")
    assert (vientiane.count, vientiane.average) == (3, 4.33)
    assert vientiane.distribution == {1: 0, 2: 0, 3: 0, 4: 2, 5: 1}
    assert [(s.centre_code, s.count) for s in rating_summaries(db_session)] == [
        ("LPB-02", 1), ("VTE-01", 3),
    ]
    stored = db_session.scalars(select(PortalRating)).first()
    assert stored is not None and stored.created_at.replace(tzinfo=UTC) == NOW


def test_a_centre_without_ratings_has_no_average(db_session: Session) -> None:
    empty = centre_rating_summary(db_session, centre_code="XKH-09")
    assert (empty.count, empty.average) == (0, None)


def test_an_application_is_rated_once_and_the_first_answer_stays(db_session: Session) -> None:
    _rate(db_session, "VTE-01", "APP-0001", 5)
    with pytest.raises(AlreadyDoneError):
        _rate(db_session, "VTE-01", "APP-0001", 1)
    assert centre_rating_summary(db_session, centre_code="VTE-01").average == 5.0


@pytest.mark.parametrize(
    ("centre", "reference", "score"),
    [
        ("VTE-01", "APP-0001", 0),
        ("VTE-01", "APP-0001", 6),
        ("vte 01", "APP-0001", 3),
        ("VTE-01", "../etc", 3),
        ("", "APP-0001", 3),
        ("VTE-01", "A" * 65, 3),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(
    db_session: Session, centre: str, reference: str, score: int
) -> None:
    with pytest.raises(InvalidFormError):
        _rate(db_session, centre, reference, score)
    assert db_session.scalar(select(func.count()).select_from(PortalRating)) == 0
