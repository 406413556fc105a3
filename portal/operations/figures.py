"""The operator's figures, read from tables this deployment already keeps (no new counters).

* applications per centre: the officer console's queue (``portal_application_queue``);
  processing time is ``updated_at - created_at`` of sent applications;
* ratings per centre: :func:`portal.rating.service.rating_summaries`;
* traffic per member: rows of the gateways' signed message logs (``gwlog_record``) in the
  window, by gateway and message kind; refusals per member: the transparency log's
  ``refused`` entries. Transport failures (timeouts, TLS) are in each gateway's Prometheus
  ``/metrics``, which an operator scrapes with their monitoring, not from this page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from statistics import median

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from exchange.gateway.models import GwlogRecord
from exchange.transparency.store import ENTRIES
from portal.officer.models import QUEUE_STATES, PortalApplicationQueue
from portal.rating.service import RatingSummary, rating_summaries

MAX_TIMES = 10_000  # processing times read per centre for the median


@dataclass(frozen=True)
class CentreApplications:
    centre: str
    by_state: dict[str, int]
    median_seconds: float | None

    @property
    def total(self) -> int:
        return sum(self.by_state.values())


@dataclass(frozen=True)
class MemberTraffic:
    member: str
    requests: int
    responses: int
    refused: int


@dataclass(frozen=True)
class Operations:
    applications: list[CentreApplications]
    ratings: list[RatingSummary]
    traffic: list[MemberTraffic]


def centre_applications(session: Session) -> list[CentreApplications]:
    counts: dict[str, dict[str, int]] = {}
    for centre, state, count in session.execute(
        select(PortalApplicationQueue.centre, PortalApplicationQueue.state, func.count())
        .group_by(PortalApplicationQueue.centre, PortalApplicationQueue.state)
    ):
        counts.setdefault(str(centre), dict.fromkeys(QUEUE_STATES, 0))[str(state)] = int(count)
    result = []
    for centre in sorted(counts):
        times = list(session.scalars(
            select(PortalApplicationQueue.updated_at - PortalApplicationQueue.created_at)
            .where(PortalApplicationQueue.centre == centre, PortalApplicationQueue.state == "sent")
            .order_by(PortalApplicationQueue.id.desc())
            .limit(MAX_TIMES)
        ))
        result.append(CentreApplications(
            centre, counts[centre], float(median(times)) if times else None
        ))
    return result


def member_traffic(session: Session, *, since: datetime, until: datetime) -> list[MemberTraffic]:
    """Messages each member's gateway logged, and access refusals, in ``[since, until)``."""
    logged: dict[str, dict[str, int]] = {}
    for gateway, kind, count in session.execute(
        select(GwlogRecord.gateway, GwlogRecord.kind, func.count())
        .where(GwlogRecord.logged_at >= since, GwlogRecord.logged_at < until)
        .group_by(GwlogRecord.gateway, GwlogRecord.kind)
    ):
        logged.setdefault(str(gateway), {})[str(kind)] = int(count)
    refused = {
        str(member): int(count)
        for member, count in session.execute(
            select(ENTRIES.c.member, func.count())
            .where(ENTRIES.c.outcome == "refused", ENTRIES.c.logged_at >= since,
                   ENTRIES.c.logged_at < until)
            .group_by(ENTRIES.c.member)
        )
    }
    return [
        MemberTraffic(member, logged.get(member, {}).get("request", 0),
                      logged.get(member, {}).get("response", 0), refused.get(member, 0))
        for member in sorted(set(logged) | set(refused))
    ]


def operations(session: Session, *, since: datetime, until: datetime) -> Operations:
    return Operations(
        applications=centre_applications(session),
        ratings=rating_summaries(session),
        traffic=member_traffic(session, since=since, until=until),
    )
