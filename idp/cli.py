"""``onedoor idp``: command-line operations of the idp component."""

from __future__ import annotations

import typer

app = typer.Typer(help="Idp operations.", no_args_is_help=True)
