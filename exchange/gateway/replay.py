"""Replay protection: a message id is accepted once per sender within the validity window."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from exchange.gateway.models import GatewaySeenMessage
from exchange.xroad.errors import ReplayedMessageError
from exchange.xroad.identifiers import ClientId


def remember_message(
    session: Session, *, gateway: ClientId, sender: ClientId, message_id: str, now: datetime
) -> None:
    """Record ``message_id`` from ``sender``; raises ReplayedMessageError if already seen."""
    seen = select(GatewaySeenMessage.id).where(
        GatewaySeenMessage.gateway == str(gateway),
        GatewaySeenMessage.sender == str(sender),
        GatewaySeenMessage.message_id == message_id,
    )
    if session.scalar(seen) is not None:
        raise ReplayedMessageError(f"message id already received from {sender}")
    try:
        with session.begin_nested():
            session.add(
                GatewaySeenMessage(
                    gateway=str(gateway), sender=str(sender), message_id=message_id, seen_at=now
                )
            )
    except IntegrityError as exc:  # the same id arriving twice at once
        raise ReplayedMessageError(f"message id already received from {sender}") from exc


def forget_before(session: Session, *, gateway: ClientId, before: datetime) -> int:
    """Drop ids older than the message window (twice the window is safe); returns the count."""
    result = session.execute(
        delete(GatewaySeenMessage).where(
            GatewaySeenMessage.gateway == str(gateway), GatewaySeenMessage.seen_at < before
        )
    )
    return int(getattr(result, "rowcount", 0) or 0)


def retention(window_seconds: int) -> timedelta:
    return timedelta(seconds=2 * window_seconds)
