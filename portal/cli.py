"""``onedoor portal ...``: maintenance commands of the portal."""

from __future__ import annotations

import typer

from portal.catalogues import update_catalogues

app = typer.Typer(help="The web portal.", no_args_is_help=True)


@app.callback()
def portal() -> None:
    """The web portal."""


@app.command("update-catalogues")
def update_catalogues_command() -> None:
    """Add new strings to the Lao and English catalogues; exit 1 while any is untranslated."""
    missing = update_catalogues()
    for language, messages in missing.items():
        for message in messages:
            typer.echo(f"{language}: untranslated: {message}")
    if any(missing.values()):
        raise typer.Exit(1)
    typer.echo("catalogues complete")
