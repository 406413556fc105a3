"""When a message passed each hop of the exchange, recorded by the gateway that saw it.

The consumer gateway records ``client_in`` (its member system's request arrived),
``consumer_out`` (sealed and sent) and ``consumer_in`` (the verified reply arrived); the
provider gateway ``provider_in``, ``member_out`` / ``member_in`` (its member system called and
answered) and ``provider_out`` (reply sealed). Times are operational data beside the log, not
part of the hash chain.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from exchange.gateway.models import GwlogHop

HOPS = (
    "client_in", "consumer_out", "provider_in", "member_out", "member_in", "provider_out",
    "consumer_in",
)


def record_hops(
    session: Session, *, gateway: str, message_id: str, hops: Mapping[str, datetime]
) -> None:
    """Add ``hops`` of one message inside the caller's transaction."""
    unknown = set(hops) - set(HOPS)
    if unknown:
        raise ValueError(f"unknown hops {sorted(unknown)}")
    if hops:
        session.execute(
            insert(GwlogHop),
            [{"gateway": gateway, "message_id": message_id, "hop": hop, "at": at}
             for hop, at in hops.items()],
        )


def load_hops(
    session: Session, *, gateway: str, message_id: str | None = None
) -> dict[str, dict[str, str]]:
    """Message id -> hop -> ISO 8601 UTC time, in the order of ``HOPS``."""
    query = select(GwlogHop.message_id, GwlogHop.hop, GwlogHop.at).where(
        GwlogHop.gateway == gateway
    )
    if message_id is not None:
        query = query.where(GwlogHop.message_id == message_id)
    found: dict[str, dict[str, str]] = {}
    for mid, hop, at in session.execute(query.order_by(GwlogHop.id)):
        found.setdefault(mid, {})[hop] = _utc(at)
    return {
        mid: {hop: times[hop] for hop in HOPS if hop in times} for mid, times in found.items()
    }


def _utc(moment: datetime) -> str:
    # SQLite hands back naive datetimes; every time stored here is UTC.
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")
