"""SQLite: take the write lock first in a transaction that reads and then writes.

A deferred SQLite transaction that has read cannot upgrade to a writer once another process
committed (``database is locked`` at once, no busy wait). A write that changes nothing, issued
first, takes the lock under the busy timeout instead. PostgreSQL needs nothing. The lock is
held until the transaction ends, so it is taken once per transaction.
"""

from __future__ import annotations

from sqlalchemy import event, text
from sqlalchemy.orm import Session, SessionTransaction

_HELD = "onedoor.sqlite_write_lock"


def take_write_lock(session: Session) -> None:
    if session.info.get(_HELD) is not None:
        return
    if session.get_bind().dialect.name == "sqlite":
        session.execute(text("DELETE FROM gateway_seen_message WHERE 0 = 1"))
        session.info[_HELD] = session.get_transaction()


@event.listens_for(Session, "after_transaction_end")
def _released(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:
        session.info.pop(_HELD, None)
