"""The jti replay cache for client assertions, shared by every replica (RFC 7523 3, item 7)."""

from __future__ import annotations

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from idp.oidc.models import UsedAssertion


class ReplayedError(Exception):
    """This jti was already used by this client."""


def consume_jti(session: Session, *, client_id: str, jti: str, expires_at: int, now: int) -> None:
    """Record ``jti`` until ``expires_at``; raise ReplayedError if it was seen before."""
    session.execute(delete(UsedAssertion).where(UsedAssertion.expires_at < now))
    try:
        with session.begin_nested():
            session.add(UsedAssertion(client_id=client_id, jti=jti, expires_at=expires_at))
    except IntegrityError as exc:
        raise ReplayedError(jti) from exc
