"""One member's security gateway as its own process (the production shape): the client-facing
app on one port for the member's systems, the peer mutual-TLS listener on another."""

from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path

import uvicorn
from cryptography import x509

from exchange.central.signer import CERT_FILE, signer_folder
from exchange.gateway.app import create_gateway_app, create_peer_app
from exchange.gateway.certstatus import OcspStatusChecker
from exchange.gateway.confclient import http_fetcher
from exchange.gateway.config import GatewayConfig
from exchange.gateway.consentcheck import AccessRecorder
from exchange.gateway.metrics import GatewayMetrics
from exchange.gateway.tlsserver import BackgroundServer, server_config, write_ca_bundle
from exchange.topology.gateways import build_gateway_config, metrics_credential
from exchange.topology.keyfiles import load_gateway_keys
from exchange.topology.members import DEFAULT_MEMBERS, MemberSpec, find_member
from exchange.transparency.keys import load_or_create_log_keys
from exchange.transparency.recorder import TransparencyRecorder
from exchange.xroad.identifiers import parse_client_id
from onedoor.config import Settings
from onedoor.errors import ConfigurationError
from onedoor.runtime import create_runtime
from onedoor.serving import uvicorn_options

log = logging.getLogger("onedoor.exchange.topology")


def central_trust_anchor(settings: Settings) -> x509.Certificate:
    """The central server's configuration-signing certificate, pinned in the state dir."""
    path: Path = signer_folder(settings) / CERT_FILE
    try:
        return x509.load_pem_x509_certificate(path.read_bytes())
    except (OSError, ValueError) as exc:
        raise ConfigurationError(f"central server certificate {path} is unreadable") from exc


def transparency_recorder(settings: Settings) -> TransparencyRecorder:
    """The production access recorder: every access to personal data into the Merkle log."""
    return TransparencyRecorder(load_or_create_log_keys(settings).pseudonymizer)


def serve_gateway(
    settings: Settings,
    *,
    member: str,
    client_port: int,
    peer_port: int,
    members: tuple[MemberSpec, ...] = DEFAULT_MEMBERS,
    recorder: AccessRecorder | None = None,
    central_url: str | None = None,
    member_system_url: str | None = None,
) -> None:
    """Run ``member``'s gateway (``LA/GOV/MOHA`` or one of its subsystems) until interrupted.

    Accesses to personal data go to ``recorder``, by default the transparency log. The
    gateway must have been provisioned (``onedoor exchange provision``). It fetches the
    global configuration from ``central_url`` (default ``settings.url_for("central")``) and
    calls its member system at ``member_system_url`` (default ``settings.url_for(system)``).
    Every replica of a member runs this with the same state dir and database and differs only
    in its ports: replay ids, the message log and the transparency log live in the database.
    """
    try:
        spec = find_member(members, parse_client_id(member))
    except KeyError:
        raise ConfigurationError(f"{member} is not a member of this exchange") from None
    runtime = create_runtime(settings)
    keys = load_gateway_keys(settings, spec)
    central = (central_url or settings.url_for("central")).rstrip("/")
    config = build_gateway_config(
        settings, spec=spec, keys=keys, members=members,
        sessions=runtime.sessions,
        fetch=http_fetcher(central + "/globalconf"),
        trust_anchor=central_trust_anchor(settings),
        recorder=recorder or transparency_recorder(settings),
        member_system_url=(lambda _spec: member_system_url) if member_system_url else None,
        # Peer certificates' status from the OCSP responder in their AIA, cached 20 minutes.
        revocation_check=OcspStatusChecker(),
    )
    metrics = GatewayMetrics(spec.member)
    ca_file = _replica_ca_bundle(config, keys.folder)
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
            create_gateway_app(
                config, metrics=metrics, metrics_token=metrics_credential(settings, spec)
            ),
            host=settings.host, port=client_port,
            **uvicorn_options(),
        )
    finally:
        peer.stop()
        config.close()
        runtime.engine.dispose()
        ca_file.unlink(missing_ok=True)


def _replica_ca_bundle(config: GatewayConfig, folder: Path) -> Path:
    """This replica's own CA bundle file: replicas sharing the state dir (same member, same
    port on other hosts) never read a bundle another replica is half-way through writing."""
    fd, name = tempfile.mkstemp(prefix="ca-", suffix=".pem", dir=folder)
    os.close(fd)
    return write_ca_bundle(config.globalconf.current(), Path(name))
