"""Migrations bring an empty database to head on both engines, and agree with the models."""

from __future__ import annotations

from sqlalchemy import inspect

from onedoor.components import load_all_models
from onedoor.db import Base, open_database
from onedoor.migrate import current_revisions, head_revisions, schema_drift, upgrade


def test_upgrade_brings_empty_database_to_head(empty_database_url: str) -> None:
    engine = open_database(empty_database_url)
    assert current_revisions(engine) == set()
    upgrade(engine)
    assert current_revisions(engine) == head_revisions()
    load_all_models()
    tables = set(inspect(engine).get_table_names())
    assert set(Base.metadata.tables) <= tables
    engine.dispose()


def test_upgrade_twice_changes_nothing(empty_database_url: str) -> None:
    engine = open_database(empty_database_url)
    upgrade(engine)
    before = set(inspect(engine).get_table_names())
    upgrade(engine)
    assert set(inspect(engine).get_table_names()) == before
    engine.dispose()


def test_models_and_migrations_agree(empty_database_url: str) -> None:
    engine = open_database(empty_database_url)
    upgrade(engine)
    assert schema_drift(engine) == []
    engine.dispose()
