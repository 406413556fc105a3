"""Alembic environment: the connection is handed in by :mod:`onedoor.migrate`."""

from __future__ import annotations

from alembic import context

from onedoor.components import load_all_models
from onedoor.db import Base

load_all_models()
connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
