"""``onedoor exchange``: command-line operations of the exchange component."""

from __future__ import annotations

import typer

app = typer.Typer(help="Exchange operations.", no_args_is_help=True)
