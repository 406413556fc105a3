"""``onedoor keys``: command-line operations of the keys component."""

from __future__ import annotations

import typer

app = typer.Typer(help="Keys operations.", no_args_is_help=True)
