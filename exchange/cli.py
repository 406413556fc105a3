"""``onedoor exchange``: command-line operations of the exchange component."""

from __future__ import annotations

import typer

from exchange.central.cli import (
    grant,
    group_app,
    instance_app,
    member_app,
    revoke,
    service_app,
    trust_app,
)
from exchange.gateway.cli import export, log_app, verify
from exchange.topology.cli import provision, serve_gateway_command

app = typer.Typer(help="Exchange operations.", no_args_is_help=True)
app.add_typer(instance_app, name="instance")
app.add_typer(member_app, name="member")
app.add_typer(service_app, name="service")
app.add_typer(trust_app, name="trust")
app.add_typer(group_app, name="group")
app.command("grant")(grant)
app.command("revoke")(revoke)
app.command("verify")(verify)
app.command("export")(export)
app.add_typer(log_app, name="log")
app.command("provision")(provision)
app.command("serve-gateway")(serve_gateway_command)
