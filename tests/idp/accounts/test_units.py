"""Failed attempts survive the rollback of a failed login's unit of work."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from idp.accounts.errors import InvalidCredentialsError
from idp.accounts.login import authenticate_password
from idp.accounts.models import Account, Throttle
from idp.accounts.units import login_unit
from onedoor.db import open_database, session_factory
from onedoor.migrate import upgrade
from tests.idp.accounts.support import CHEAP_HASHER, NOW, account


def test_failure_counters_are_committed_other_errors_roll_back(empty_database_url: str) -> None:
    engine = open_database(empty_database_url)
    upgrade(engine)
    sessions = session_factory(engine)
    with pytest.raises(InvalidCredentialsError), login_unit(sessions) as session:
        authenticate_password(session, login="ghost", password="nope-nope", source="192.0.2.1",
                              now=NOW, hasher=CHEAP_HASHER)
    with pytest.raises(RuntimeError), login_unit(sessions) as session:
        account(session, login="half.written")
        raise RuntimeError("boom")
    with sessions() as session:
        failures = session.execute(
            select(Throttle.failures).where(Throttle.key == "ghost")
        ).scalar_one()
        assert failures == 1
        assert session.execute(select(Account)).first() is None
    engine.dispose()
