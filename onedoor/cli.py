"""The ``onedoor`` command: one sub-command group per component, plus db, demo and serve."""

from __future__ import annotations

import sys

import typer

from exchange.cli import app as exchange_app
from exchange.consent.cli import app as consent_app
from exchange.events.cli import app as events_app
from exchange.transparency.cli import app as audit_app
from idp.cli import app as idp_app
from idp.signing.cli import app as sign_app
from keys.cli import app as keys_app
from onedoor.cli_db import app as db_app
from onedoor.cli_serve import demo, serve
from onedoor.errors import OneDoorError
from portal.cli import app as portal_app
from registries.cli import app as registries_app

app = typer.Typer(
    name="onedoor",
    help="OneDoor: digital identity and data exchange for one-door service centres.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.add_typer(db_app, name="db")
app.add_typer(keys_app, name="keys")
app.add_typer(registries_app, name="registries")
app.add_typer(exchange_app, name="exchange")
app.add_typer(consent_app, name="consent")
app.add_typer(audit_app, name="audit")
app.add_typer(events_app, name="events")
app.add_typer(idp_app, name="idp")
app.add_typer(sign_app, name="sign")
app.add_typer(portal_app, name="portal")
app.command()(demo)
app.command()(serve)


def main() -> None:
    """Entry point: a OneDoorError becomes one line on stderr and exit status 2."""
    try:
        app()
    except OneDoorError as exc:
        typer.echo(f"error: {exc.message}", err=True)
        sys.exit(2)
    except KeyboardInterrupt:
        sys.exit(130)
