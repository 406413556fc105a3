"""One member's security gateway as its own process (the production shape): the client-facing
app on one port for the member's systems, the peer mutual-TLS listener on another."""

from __future__ import annotations

import logging
from pathlib import Path

import uvicorn
from cryptography import x509

from exchange.central.signer import CERT_FILE, signer_folder
from exchange.gateway.app import create_gateway_app, create_peer_app
from exchange.gateway.confclient import http_fetcher
from exchange.gateway.metrics import GatewayMetrics
from exchange.gateway.tlsserver import BackgroundServer, server_config, write_ca_bundle
from exchange.topology.gateways import build_gateway_config
from exchange.topology.keyfiles import load_gateway_keys
from exchange.topology.members import DEFAULT_MEMBERS, MemberSpec, find_member
from exchange.xroad.identifiers import parse_client_id
from onedoor.config import Settings
from onedoor.errors import ConfigurationError
from onedoor.runtime import create_runtime

log = logging.getLogger("onedoor.exchange.topology")


def central_trust_anchor(settings: Settings) -> x509.Certificate:
    """The central server's configuration-signing certificate, pinned in the state dir."""
    path: Path = signer_folder(settings) / CERT_FILE
    try:
        return x509.load_pem_x509_certificate(path.read_bytes())
    except (OSError, ValueError) as exc:
        raise ConfigurationError(f"central server certificate {path} is unreadable") from exc


def serve_gateway(
    settings: Settings,
    *,
    member: str,
    client_port: int,
    peer_port: int,
    members: tuple[MemberSpec, ...] = DEFAULT_MEMBERS,
) -> None:
    """Run ``member``'s gateway (``LA/GOV/MOHA`` or one of its subsystems) until interrupted.

    The gateway must have been provisioned (``onedoor exchange provision``); it fetches the
    global configuration from ``settings.url_for("central", "/globalconf")``.
    """
    try:
        spec = find_member(members, parse_client_id(member))
    except KeyError:
        raise ConfigurationError(f"{member} is not a member of this exchange") from None
    runtime = create_runtime(settings)
    keys = load_gateway_keys(settings, spec)
    config = build_gateway_config(
        settings, spec=spec, keys=keys, members=members,
        sessions=runtime.sessions,
        fetch=http_fetcher(settings.url_for("central", "/globalconf")),
        trust_anchor=central_trust_anchor(settings),
    )
    metrics = GatewayMetrics(spec.member)
    ca_file = write_ca_bundle(config.globalconf.current(), keys.folder / "ca.pem")
    peer = BackgroundServer(
        server_config(
            create_peer_app(config, metrics=metrics), host=settings.host, port=peer_port,
            tls=config.tls, ca_file=ca_file,
        )
    )
    peer.start()
    log.info("gateway peer listener started", extra={"member": str(spec.member)})
    try:
        uvicorn.run(
            create_gateway_app(config, metrics=metrics), host=settings.host, port=client_port,
            log_config=None, access_log=False,
        )
    finally:
        peer.stop()
        config.close()
        runtime.engine.dispose()
