"""A portal over a fully migrated SQLite database with a transparency log in it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi import FastAPI
from sqlalchemy.orm import Session

from exchange.transparency.entry import AccessEvent
from exchange.transparency.keys import LogKeys, load_or_create_log_keys
from exchange.transparency.log import append_entries, sign_tree_head
from onedoor.db import open_database, transaction
from onedoor.migrate import upgrade
from onedoor.runtime import Runtime, create_runtime
from portal.app import create_app
from schemas.identifiers import PersonId
from tests.portal.conftest import portal_settings

CITIZEN = PersonId.issue(province=1, serial=123456).value
OTHER = PersonId.issue(province=2, serial=654321).value
MOES, MOH = "LA/GOV/MOES/school", "LA/GOV/MOH/clinic"


@dataclass(frozen=True)
class Log:
    runtime: Runtime
    app: FastAPI
    keys: LogKeys


def access(member: str, subject: str, *, user: str = "officer-7", outcome: str = "allowed",
           when: datetime | None = None) -> AccessEvent:
    return AccessEvent(
        member=member, user_id=user, service="LA/GOV/MOHA/civil/person-details/v1",
        data_items=("civil.person.name",), purpose="school-enrolment",
        basis_kind="consent" if outcome == "allowed" else None,
        basis_reference="consent-1" if outcome == "allowed" else None,
        outcome=outcome,  # type: ignore[arg-type]
        subject_id=subject, message_id=f"m-{member}-{subject}-{when}",
        reason_code=None if outcome == "allowed" else "no_basis", time=when,
    )


def seed(session: Session, keys: LogKeys) -> None:
    now = datetime.now(UTC)
    events = [
        access(MOES, CITIZEN, when=now - timedelta(days=2)),
        access(MOES, OTHER, when=now - timedelta(days=1)),
        access(MOH, CITIZEN, user="nurse-3", when=now),
        *(access(MOH, OTHER, user="nurse-9", outcome="refused", when=now) for _ in range(7)),
    ]
    for event in events:
        append_entries(session, entries=[event], pseudonymizer=keys.pseudonymizer,
                       clock=lambda event=event: event.time)
    sign_tree_head(session, signer=keys.signer)


@pytest.fixture
def log(tmp_path: Path) -> Iterator[Log]:
    settings = portal_settings(tmp_path / "var")
    engine = open_database(settings.database_url)
    upgrade(engine)
    runtime = create_runtime(settings, engine=engine)
    keys = load_or_create_log_keys(settings)
    with transaction(runtime.sessions) as session:
        seed(session, keys)
    yield Log(runtime, create_app(runtime), keys)
    engine.dispose()
