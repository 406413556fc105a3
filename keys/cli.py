"""``onedoor keys``: command-line operations of the keys component."""

from __future__ import annotations

import typer

from keys.bootstrap import ensure_pki
from keys.pki import list_certificates
from onedoor.config import get_settings

app = typer.Typer(help="Keys operations.", no_args_is_help=True)


@app.command("init")
def init_command() -> None:
    """Create the CA hierarchy in the state directory; a second run verifies and changes nothing."""
    for line in ensure_pki(get_settings()):
        typer.echo(line)


@app.command("list")
def list_command() -> None:
    """Show every PKI certificate: subject, issuer, validity and SHA-256 fingerprint."""
    for summary in list_certificates(get_settings()):
        typer.echo(summary.name)
        typer.echo(f"  subject:     {summary.subject}")
        typer.echo(f"  issuer:      {summary.issuer}")
        typer.echo(f"  not before:  {summary.not_before.isoformat()}")
        typer.echo(f"  not after:   {summary.not_after.isoformat()}")
        typer.echo(f"  SHA-256:     {summary.sha256_fingerprint}")
