"""``onedoor demo`` and ``onedoor serve``: run the system, all-in-one or one component.

``onedoor serve COMPONENT`` is the production shape: each web component, each member's
security gateway and each life-event worker is its own process, configured by settings (plus,
for a gateway, which member it is and its two ports). Every replica keeps its state in the
database, so any number of gateway or worker replicas can run side by side (docs/SCALING.md).
"""

from __future__ import annotations

import logging
import signal
import threading
from enum import StrEnum
from types import FrameType

import typer
import uvicorn
from starlette.applications import Starlette
from starlette.routing import Mount

from onedoor.app import COMPONENT_APPS, create_component, create_demo_app
from onedoor.config import Settings, get_settings
from onedoor.errors import ConfigurationError
from onedoor.logging import configure_logging
from onedoor.runtime import create_runtime
from onedoor.serving import uvicorn_options

log = logging.getLogger("onedoor")
PEER_PORT_OFFSET = 100  # member gateways' mTLS listeners: demo port + 100, + 101, ...


class Component(StrEnum):
    idp = "idp"
    central = "central"
    registries = "registries"
    pki = "pki"
    portal = "portal"
    gateway = "gateway"
    worker = "worker"


# Components that are a web app of COMPONENT_APPS; the others are the exchange's processes.
WEB_COMPONENTS = frozenset(COMPONENT_APPS)


def demo(
    port: int = typer.Option(None, help="Port (default: ONEDOOR_PORT, 8000)."),
    persons: int = typer.Option(2000, help="Synthetic persons to seed on first run."),
) -> None:
    """Set up var/ (PKI, database, synthetic data) and run every component on one port."""
    from onedoor.demo import demo_services, prepare_demo_data  # what serve never needs
    from onedoor.setup import prepare_state

    settings = get_settings()
    if port and "base_url" not in settings.model_fields_set:
        # Every component is on this one port: the gateways, the portal and the certificates
        # must all point here, not at the default 8000.
        settings = settings.model_copy(
            update={"port": port, "base_url": f"http://{settings.host}:{port}"}
        )
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
    port: int = typer.Option(
        None, help="Port (default: ONEDOOR_PORT); a gateway's client port if --client-port "
        "is not given."
    ),
    member: str = typer.Option(None, help="gateway: the member it serves, e.g. LA/GOV/MOHA."),
    client_port: int = typer.Option(
        None, help="gateway: port of the client-facing X-Road REST API (member systems)."
    ),
    peer_port: int = typer.Option(
        None, help="gateway: port of the mutual-TLS gateway-to-gateway API."
    ),
    central_url: str = typer.Option(
        None, envvar="ONEDOOR_CENTRAL_URL",
        help="gateway: the central server (default: ONEDOOR_BASE_URL/central).",
    ),
    member_system_url: str = typer.Option(
        None, envvar="ONEDOOR_MEMBER_SYSTEM_URL",
        help="gateway: the member's system, e.g. the registries (default: "
        "ONEDOOR_BASE_URL/registries).",
    ),
    idle_seconds: float = typer.Option(
        0.5, min=0.01, help="worker: pause when no life event is due."
    ),
) -> None:
    """Run one component on its own (the production shape); state must already be prepared.

    Web components: idp, central, registries, pki, portal. ``gateway`` runs one member's
    security gateway (--member, --client-port, --peer-port); ``worker`` delivers life events.
    """
    if component is Component.gateway and (not member or not peer_port):
        # Refused before anything is configured or started.
        raise ConfigurationError("serve gateway needs --member and --peer-port")
    settings = get_settings()
    configure_logging(settings.log_level)
    if component is Component.gateway:
        assert member is not None and peer_port is not None
        serve_member_gateway(
            settings, member=member, client_port=client_port or port or settings.port,
            peer_port=peer_port, central_url=central_url, member_system_url=member_system_url,
        )
        return
    if component is Component.worker:
        serve_worker(settings, idle_seconds=idle_seconds)
        return
    runtime = create_runtime(settings)
    app = create_component(component.value, runtime)
    # Served under its public path too (settings.url_for: the certificates' OCSP and CRL URLs,
    # the OIDC issuer), so a reverse proxy forwards /pki/... unchanged; bare paths still work.
    mount = COMPONENT_APPS[component.value][1]
    served = Starlette(routes=[Mount(mount, app=app), Mount("", app=app)])
    uvicorn.run(served, host=settings.host, port=port or settings.port, **uvicorn_options())


def serve_member_gateway(
    settings: Settings,
    *,
    member: str,
    client_port: int,
    peer_port: int,
    central_url: str | None = None,
    member_system_url: str | None = None,
) -> None:
    """One replica of ``member``'s gateway; accesses are appended to the transparency log."""
    from exchange.topology import serve_gateway
    from exchange.topology.serve import transparency_recorder

    serve_gateway(
        settings, member=member, client_port=client_port, peer_port=peer_port,
        recorder=transparency_recorder(settings), central_url=central_url,
        member_system_url=member_system_url,
    )


def serve_worker(
    settings: Settings, *, idle_seconds: float = 0.5, stop: threading.Event | None = None
) -> None:
    """One life-event delivery worker until SIGTERM/SIGINT (or ``stop``); any number may run.

    Deliveries are claimed with ``FOR UPDATE SKIP LOCKED`` and a lease, so replicas never send
    the same delivery at once, and consumers are idempotent, so a redelivery after a crash has
    no second effect. The transport is in-process: the ministry systems are the registries'
    tables in this database. Delivery to a ministry on another host through its security
    gateway is future work (docs/SCALING.md).
    """
    from exchange.events.worker import Worker
    from registries.reactions.consumer import InProcessTransport

    runtime = create_runtime(settings)
    halt = stop or threading.Event()
    if threading.current_thread() is threading.main_thread():

        def _stop(_signal: int, _frame: FrameType | None) -> None:
            halt.set()

        signal.signal(signal.SIGTERM, _stop)
        signal.signal(signal.SIGINT, _stop)
    worker = Worker(sessions=runtime.sessions, transport=InProcessTransport(runtime.sessions))
    log.info("events worker started", extra={"component": "worker"})
    try:
        worker.run(halt, idle_seconds=idle_seconds)
    finally:
        runtime.engine.dispose()
        log.info("events worker stopped", extra={"component": "worker"})
