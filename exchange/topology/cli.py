"""``onedoor exchange provision`` and ``onedoor exchange serve-gateway``."""

from __future__ import annotations

import typer

from exchange.messages.clock import utc_now
from exchange.topology.keyfiles import DEFAULT_HOSTS
from exchange.topology.members import DEFAULT_MEMBERS
from exchange.topology.provision import provision_exchange
from exchange.topology.serve import serve_gateway
from exchange.xroad.identifiers import ClientId, parse_member_id
from onedoor.config import get_settings
from onedoor.db import open_database
from onedoor.errors import ConfigurationError
from onedoor.logging import configure_logging
from onedoor.runtime import create_runtime


def provision(
    base_port: int = typer.Option(9100, help="Peer port of the first member; the next ones +1."),
    gateway_url: list[str] = typer.Option(
        [], help="MEMBER=https://host:port, overriding the loopback address from --base-port."
    ),
    host: list[str] = typer.Option(
        list(DEFAULT_HOSTS), help="Host names or addresses for the gateways' TLS certificates."
    ),
) -> None:
    """Create gateway keys and certificates and register the exchange in the directory."""
    urls: dict[ClientId, str] = {
        spec.member: f"https://127.0.0.1:{base_port + i}" for i, spec in enumerate(DEFAULT_MEMBERS)
    }
    for entry in gateway_url:
        name, sep, url = entry.partition("=")
        if not sep:
            raise ConfigurationError(f"--gateway-url {entry!r} is not MEMBER=URL")
        urls[parse_member_id(name)] = url
    settings = get_settings()
    engine = open_database(settings.database_url)
    try:
        topology = provision_exchange(
            create_runtime(settings, engine=engine), gateway_urls=urls, now=utc_now(), hosts=host
        )
    finally:
        engine.dispose()
    for member, gateway in topology.gateways.items():
        typer.echo(f"{member}: {gateway.gateway_url} ({gateway.keys.folder})")


def serve_gateway_command(
    member: str = typer.Option(..., help="The member (or one of its subsystems)."),
    client_port: int = typer.Option(..., help="Port of the client-facing X-Road REST API."),
    peer_port: int = typer.Option(..., help="Port of the mutual-TLS gateway-to-gateway API."),
) -> None:
    """Run one member's security gateway (the production shape)."""
    settings = get_settings()
    configure_logging(settings.log_level)
    serve_gateway(settings, member=member, client_port=client_port, peer_port=peer_port)
