"""Database fixtures: every test that uses ``db_session`` runs on SQLite and on PostgreSQL."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from onedoor.config import Settings
from onedoor.db import open_database
from onedoor.migrate import upgrade
from tests.support.postgres import (
    SKIP_ENV,
    PostgresServer,
    PostgresUnavailableError,
    start_postgres,
)

ENGINES = ("sqlite", "postgresql")


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    if os.environ.get(SKIP_ENV) == "1":
        pytest.skip(f"PostgreSQL skipped on purpose ({SKIP_ENV}=1)")
    try:
        server = start_postgres()
    except PostgresUnavailableError as exc:
        pytest.fail(f"PostgreSQL could not be started: {exc}", pytrace=False)
    yield server
    server.stop()


def _new_database_url(kind: str, request: pytest.FixtureRequest, folder: Path) -> str:
    if kind == "sqlite":
        return f"sqlite:///{folder / f'{uuid.uuid4().hex}.db'}"
    server: PostgresServer = request.getfixturevalue("postgres_server")
    return server.create_database(f"t_{uuid.uuid4().hex[:16]}")


@pytest.fixture(scope="session", params=ENGINES)
def migrated_engine(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    """One database per engine for the whole run, migrated to head."""
    url = _new_database_url(request.param, request, tmp_path_factory.mktemp("db"))
    engine = open_database(url)
    upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def db_session(migrated_engine: Engine) -> Iterator[Session]:
    """A session inside a transaction that is rolled back after the test."""
    connection = migrated_engine.connect()
    outer = connection.begin()
    session = Session(bind=connection, join_transaction_mode="create_savepoint")
    try:
        yield session
    finally:
        session.close()
        outer.rollback()
        connection.close()


@pytest.fixture(params=ENGINES)
def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of a new, empty database on each engine (for migration and commit tests)."""
    return _new_database_url(request.param, request, tmp_path)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Development settings with a private state directory."""
    return Settings(state_dir=tmp_path / "var", key_passphrase="test passphrase")
