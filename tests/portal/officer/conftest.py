"""An officer's desk in process: civil registry, ministries subscribed, a link that can break."""

from __future__ import annotations

import hashlib
import random
import re
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from exchange.events.worker import Worker
from onedoor.config import Settings
from onedoor.db import open_database, transaction
from onedoor.migrate import upgrade
from onedoor.runtime import Runtime, create_runtime
from portal.app import create_app
from portal.login.models import PortalLoginSession
from portal.officer.link import (
    BirthDeclaration,
    InProcessCivilRegistry,
    LinkUnavailableError,
    PersonFacts,
    RegisteredBirth,
)
from portal.security.sessions import session_cookie_name
from registries.civil import service as civil
from registries.familybook import service as familybook
from registries.reactions.consumer import InProcessTransport
from registries.reactions.subscribe import subscribe_ministries
from schemas.identifiers import PersonId
from tests.conftest import ENGINES, _new_database_url
from tests.portal.conftest import mounted
from tests.registries.people import name
from tests.schemas.examples import ADDRESS

HTML = {"accept": "text/html", "accept-language": "en"}
_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass
class FlakyLink:
    """The in-process registry behind a link the test can cut (``down``) and restore."""

    inner: InProcessCivilRegistry
    down: bool = False
    calls: list[str] = field(default_factory=list)

    def find_person(self, *, person_id: PersonId) -> PersonFacts:
        self.calls.append("find")
        if self.down:
            raise LinkUnavailableError()
        return self.inner.find_person(person_id=person_id)

    def register_birth(self, *, birth: BirthDeclaration, today: date) -> RegisteredBirth:
        self.calls.append("register")
        if self.down:
            raise LinkUnavailableError()
        return self.inner.register_birth(birth=birth, today=today)


@dataclass(frozen=True)
class Family:
    mother: PersonId
    father: PersonId


def new_person(session: Session, sex: str, rng: random.Random) -> PersonId:
    pid = PersonId.issue(province=1, serial=rng.randrange(10**9))
    civil.add_person(session, person={
        "personId": pid.value,
        "name": name("ສົມສັກ", "Somsak") if sex == "M" else name("ມະນີ", "Many"),
        "sex": sex, "birthDate": "1990-01-01", "birthDistrict": "0101", "nationality": "LAO",
    })
    return pid


def new_family(sessions: sessionmaker[Session]) -> Family:
    """A mother and a father heading a household, with fresh random identifiers."""
    rng = random.Random()
    with transaction(sessions) as session:
        mother, father = new_person(session, "F", rng), new_person(session, "M", rng)
        familybook.create_household(session, household={
            "householdId": f"HH{rng.randrange(10**10):010d}", "version": 1,
            "headId": father.value, "address": ADDRESS,
            "members": {"member": [
                {"personId": father.value, "relationship": "head", "since": "2015-01-01"},
                {"personId": mother.value, "relationship": "spouse", "since": "2015-01-01"},
            ]},
        })
    return Family(mother, father)


@dataclass
class Desk:
    runtime: Runtime
    link: FlakyLink
    worker: Worker
    app: FastAPI

    def officer(self, centre: str) -> TestClient:
        """A client signed in as an officer of ``centre`` (the sign-in itself is tested apart)."""
        http = TestClient(
            mounted(self.app), base_url="http://127.0.0.1:8000", follow_redirects=False
        )
        http.get("/portal/", headers=HTML)
        cookie = http.cookies.get(session_cookie_name(secure=False))
        assert cookie
        now = int(time.time())
        with transaction(self.runtime.sessions) as session:
            session.add(PortalLoginSession(
                id_hash=hashlib.sha256(cookie.encode()).hexdigest(),
                subject=f"officer-{uuid.uuid4().hex[:8]}", account_kind="officer",
                display_name="Officer Keo", person_id=None, assurance=None, centre=centre,
                acr=None, id_token="-", auth_time=now, created_at=now, expires_at=now + 3600,
            ))
        return http


def csrf_of(http: TestClient, path: str = "/portal/officer/") -> str:
    found = _TOKEN.search(http.get(path, headers=HTML).text)
    assert found, "page has no form token"
    return found.group(1)


@pytest.fixture(scope="module", params=ENGINES)
def own_engine(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    """A database of this module's own (both engines): what these tests commit stays here."""
    engine = open_database(_new_database_url(request.param, request, tmp_path_factory.mktemp("db")))
    upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def desk(own_engine: Engine, tmp_path: Path) -> Iterator[Desk]:
    settings = Settings(state_dir=tmp_path / "var", key_passphrase="officer test passphrase",
                        base_url="http://127.0.0.1:8000")
    runtime = create_runtime(settings, engine=own_engine)
    with transaction(runtime.sessions) as session:
        subscribe_ministries(session, now=datetime.now(UTC))
    link = FlakyLink(InProcessCivilRegistry(runtime.sessions))
    worker = Worker(sessions=runtime.sessions, transport=InProcessTransport(runtime.sessions))
    yield Desk(runtime, link, worker, create_app(runtime, registry_link=link,
                                                 after_send=worker.drain))


def centre_code() -> str:
    return f"C-{uuid.uuid4().hex[:6]}"
