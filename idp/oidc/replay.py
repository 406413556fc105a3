"""The jti replay cache for client assertions, shared by every replica (RFC 7523 3, item 7).

One statement per assertion: an insert that succeeds for a new jti, or for a jti whose earlier
assertion has expired, and returns nothing for a replay. Expired rows are purged now and then,
not on every request; a stale row only ever blocks a jti whose assertion is still valid.
"""

from __future__ import annotations

from sqlalchemy import delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from idp.oidc.models import UsedAssertion

PURGE_INTERVAL = 60


class ReplayedError(Exception):
    """This jti was already used by this client."""


def consume_jti(session: Session, *, client_id: str, jti: str, expires_at: int, now: int) -> None:
    """Record ``jti`` until ``expires_at``; raise ReplayedError if it is recorded and live."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    values = insert(UsedAssertion).values(client_id=client_id, jti=jti, expires_at=expires_at)
    upsert = values.on_conflict_do_update(
        index_elements=[UsedAssertion.client_id, UsedAssertion.jti],
        set_={"expires_at": values.excluded.expires_at},
        where=UsedAssertion.expires_at < now,
    ).returning(UsedAssertion.jti)
    if session.execute(upsert).first() is None:
        raise ReplayedError(jti)


class ReplayCache:
    """:func:`consume_jti`, purging expired rows at most once per ``purge_interval`` seconds."""

    def __init__(self, *, purge_interval: int = PURGE_INTERVAL) -> None:
        self._interval = purge_interval
        self._next_purge = 0

    def consume(
        self, session: Session, *, client_id: str, jti: str, expires_at: int, now: int
    ) -> None:
        if now >= self._next_purge:
            self._next_purge = now + self._interval
            session.execute(delete(UsedAssertion).where(UsedAssertion.expires_at < now))
        consume_jti(session, client_id=client_id, jti=jti, expires_at=expires_at, now=now)
