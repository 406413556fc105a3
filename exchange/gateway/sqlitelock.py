"""SQLite: take the write lock first in a transaction that reads and then writes.

A deferred SQLite transaction that has read cannot upgrade to a writer once another process
committed (``database is locked`` at once, no busy wait). A write that changes nothing, issued
first, takes the lock under the busy timeout instead. PostgreSQL needs nothing.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session


def take_write_lock(session: Session) -> None:
    if session.get_bind().dialect.name == "sqlite":
        session.execute(text("DELETE FROM gateway_seen_message WHERE 0 = 1"))
