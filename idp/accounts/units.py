"""Units of work for login steps: failure counters are kept even when the step fails."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session, sessionmaker

from idp.accounts.errors import AuthenticationError


@contextmanager
def login_unit(sessions: sessionmaker[Session]) -> Iterator[Session]:
    """Commit on success and on AuthenticationError (its counters), roll back on anything else."""
    with sessions() as session:
        try:
            yield session
        except AuthenticationError:
            session.commit()
            raise
        except BaseException:
            session.rollback()
            raise
        session.commit()
