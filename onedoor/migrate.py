"""Bring a database to the head of every component's migration branch, on SQLite or PostgreSQL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from onedoor.components import load_all_models, migration_locations
from onedoor.db import Base, check_connection


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    config.set_main_option("version_locations", " ".join(migration_locations()))
    config.set_main_option("path_separator", "space")
    return config


def upgrade(engine: Engine, target: str = "heads") -> None:
    """Apply every pending migration in one transaction per branch."""
    check_connection(engine)
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, target)


def current_revisions(engine: Engine) -> set[str]:
    with engine.connect() as connection:
        return set(MigrationContext.configure(connection).get_current_heads())


def head_revisions() -> set[str]:
    """The revisions a fully migrated database reports as current.

    A branch head that another branch ``depends_on`` is applied but not reported as a current
    head by Alembic, so it is left out here too.
    """
    script = ScriptDirectory.from_config(alembic_config())
    depended: set[str] = set()
    for revision in script.walk_revisions():
        if revision.dependencies:
            for needed in script.get_revisions(revision.dependencies):
                if needed is not None:
                    depended.add(needed.revision)
    return set(script.get_heads()) - depended


def schema_drift(engine: Engine) -> list[Any]:
    """Differences between the models and the migrated database (empty when they agree)."""
    load_all_models()
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, Base.metadata))
