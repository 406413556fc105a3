"""Suspicious access for data-protection officers: wide trawls and repeated refusals."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.orm import Session

from exchange.transparency.errors import InvalidQueryError
from exchange.transparency.store import ENTRIES

AnomalyKind = Literal["many_subjects", "repeated_refusals"]


@dataclass(frozen=True)
class Anomaly:
    """One actor (a member, or an officer within a member) over a threshold in the window."""

    kind: AnomalyKind
    member: str
    user_id: str | None
    count: int

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "member": self.member,
            "user_id": self.user_id,
            "count": self.count,
        }


def anomaly_report(
    session: Session,
    *,
    since: datetime,
    until: datetime,
    max_subjects_per_member: int = 500,
    max_subjects_per_user: int = 50,
    max_refusals: int = 5,
) -> list[Anomaly]:
    """Members or officers who touched many distinct subjects, or were refused repeatedly.

    Thresholds count within ``[since, until)``; an actor is reported when it *exceeds* one.
    """
    if since.tzinfo is None or until.tzinfo is None or since >= until:
        raise InvalidQueryError("the window needs time zones and since before until")
    window = and_(
        ENTRIES.c.logged_at >= since.astimezone(UTC), ENTRIES.c.logged_at < until.astimezone(UTC)
    )
    distinct = func.count(ENTRIES.c.subject.distinct())
    found: list[Anomaly] = []
    for row in session.execute(
        select(ENTRIES.c.member, distinct)
        .where(window)
        .group_by(ENTRIES.c.member)
        .having(distinct > max_subjects_per_member)
    ):
        found.append(Anomaly("many_subjects", row[0], None, int(row[1])))
    found.extend(
        Anomaly("many_subjects", member, user, count)
        for member, user, count in _per_user(session, window, distinct, max_subjects_per_user)
    )
    refused = and_(window, ENTRIES.c.outcome == "refused")
    found.extend(
        Anomaly("repeated_refusals", member, user, count)
        for member, user, count in _per_user(session, refused, func.count(), max_refusals)
    )
    return sorted(found, key=lambda a: (a.kind, -a.count, a.member, a.user_id or ""))


def _per_user(
    session: Session, where: ColumnElement[bool], measure: Any, threshold: int
) -> list[tuple[str, str, int]]:
    rows = session.execute(
        select(ENTRIES.c.member, ENTRIES.c.user_id, measure)
        .where(where)
        .group_by(ENTRIES.c.member, ENTRIES.c.user_id)
        .having(measure > threshold)
    )
    return [(str(member), str(user), int(count)) for member, user, count in rows]
