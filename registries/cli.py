"""``onedoor registries``: command-line operations of the registries component."""

from __future__ import annotations

import typer

app = typer.Typer(help="Registries operations.", no_args_is_help=True)
