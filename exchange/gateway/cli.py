"""``onedoor exchange verify`` and ``export``: check and export a gateway's message log."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from exchange.gateway import messagelog
from exchange.gateway.messagelog import LogChainError
from exchange.xroad.identifiers import parse_member_id
from onedoor.config import get_settings
from onedoor.db import open_database, session_factory


def verify(
    gateway: str | None = typer.Option(None, help="Verify this member's log in the database."),
    container: Path | None = typer.Option(None, help="Verify an exported container file."),
) -> None:
    """Check a message log chain offline; names the first changed row (exit 1)."""
    if (gateway is None) == (container is None):
        raise typer.BadParameter("give exactly one of --gateway or --container")
    try:
        if container is not None:
            try:
                data = json.loads(container.read_text())
            except (OSError, ValueError) as exc:
                raise LogChainError(f"cannot read container {container}", seq=None) from exc
            count = messagelog.verify_container(data if isinstance(data, dict) else {})
        else:
            member = str(parse_member_id(gateway or ""))
            engine = open_database(get_settings().database_url)
            try:
                with session_factory(engine)() as session:
                    count = messagelog.verify_rows(
                        messagelog.load_rows(session, gateway=member)
                    )
            finally:
                engine.dispose()
    except LogChainError as exc:
        typer.echo(f"FAILED: {exc.message}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"ok: {count} record(s) verified")


def export(
    gateway: str = typer.Option(..., help="The member whose gateway log to export."),
    output: Path = typer.Option(..., help="Where to write the JSON container."),
    message_id: str | None = typer.Option(None, help="Only this message's records."),
) -> None:
    """Export a gateway's message log (bodies stay encrypted) as a verifiable container."""
    member = str(parse_member_id(gateway))
    engine = open_database(get_settings().database_url)
    try:
        with session_factory(engine)() as session:
            container = messagelog.export_container(
                session, gateway=member, message_id=message_id
            )
    finally:
        engine.dispose()
    output.write_text(json.dumps(container, indent=1, sort_keys=True))
    typer.echo(f"exported {len(container['records'])} record(s) to {output}")
