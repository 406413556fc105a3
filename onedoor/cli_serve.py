"""``onedoor demo`` and ``onedoor serve``: run the system, all-in-one or one component."""

from __future__ import annotations

import logging
from enum import StrEnum

import typer
import uvicorn

from onedoor.app import create_component, create_demo_app
from onedoor.config import get_settings
from onedoor.demo import demo_services, prepare_demo_data
from onedoor.logging import configure_logging
from onedoor.runtime import create_runtime
from onedoor.serving import uvicorn_options
from onedoor.setup import prepare_state

log = logging.getLogger("onedoor")
PEER_PORT_OFFSET = 100  # member gateways' mTLS listeners: demo port + 100, + 101, ...


class Component(StrEnum):
    idp = "idp"
    central = "central"
    registries = "registries"
    pki = "pki"
    portal = "portal"


def demo(
    port: int = typer.Option(None, help="Port (default: ONEDOOR_PORT, 8000)."),
    persons: int = typer.Option(2000, help="Synthetic persons to seed on first run."),
) -> None:
    """Set up var/ (PKI, database, synthetic data) and run every component on one port."""
    settings = get_settings()
    configure_logging(settings.log_level)
    runtime = create_runtime(settings)
    summary = prepare_state(runtime)
    summary += prepare_demo_data(runtime, persons=persons)
    listen = port or settings.port
    base = f"http://{settings.host}:{listen}"
    typer.echo("")
    typer.echo("OneDoor demo is starting.")
    for line in summary:
        typer.echo(f"  {line}")
    typer.echo(f"  Open {base}/ for the start page, {base}/portal/ for the portal,")
    typer.echo(f"  {base}/idp/.well-known/openid-configuration and {base}/health.")
    typer.echo(f"  Member gateways (X-Road REST): {base}/gateways/<member>/r1/...")
    typer.echo("  Stop with Ctrl-C.")
    typer.echo("")
    with demo_services(runtime, peer_base_port=listen + PEER_PORT_OFFSET) as services:
        app = create_demo_app(runtime, gateway_apps=services.gateway_apps)
        uvicorn.run(app, host=settings.host, port=listen, **uvicorn_options())


def serve(
    component: Component = typer.Argument(..., help="Which component to run."),
    port: int = typer.Option(None, help="Port (default: ONEDOOR_PORT)."),
) -> None:
    """Run one component on its own (the production shape); state must already be prepared."""
    settings = get_settings()
    configure_logging(settings.log_level)
    runtime = create_runtime(settings)
    app = create_component(component.value, runtime)
    uvicorn.run(app, host=settings.host, port=port or settings.port, **uvicorn_options())
