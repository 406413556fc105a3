"""``onedoor db``: migrate and inspect the database."""

from __future__ import annotations

import typer

from onedoor.config import get_settings
from onedoor.db import open_database
from onedoor.migrate import current_revisions, head_revisions, schema_drift, upgrade

app = typer.Typer(help="Database migrations.", no_args_is_help=True)


@app.command("upgrade")
def upgrade_command() -> None:
    """Bring the database (ONEDOOR_DATABASE_URL) to the head of every migration branch."""
    engine = open_database(get_settings().database_url)
    upgrade(engine)
    typer.echo(f"database at {', '.join(sorted(current_revisions(engine)))}")


@app.command("current")
def current_command() -> None:
    """Show the applied revisions and whether the database is at head."""
    engine = open_database(get_settings().database_url)
    current, heads = current_revisions(engine), head_revisions()
    typer.echo(f"current: {', '.join(sorted(current)) or '(empty)'}")
    typer.echo(f"heads:   {', '.join(sorted(heads))}")
    raise typer.Exit(0 if current == heads else 1)


@app.command("check")
def check_command() -> None:
    """Fail if the models and the migrated database disagree."""
    engine = open_database(get_settings().database_url)
    drift = schema_drift(engine)
    for difference in drift:
        typer.echo(f"drift: {difference}")
    raise typer.Exit(1 if drift else 0)
