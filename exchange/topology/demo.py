"""The demo exchange: every member's peer listener (uvicorn, real mutual TLS on loopback) in a
background thread of the demo process, and each member's client-facing app to mount.

Member systems are reached at ``settings.url_for(spec.member_system)`` (the demo mounts the
registries app at ``/registries``); the global configuration is built and signed in process.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import TracebackType

import httpx
from fastapi import FastAPI

from exchange.gateway.app import create_gateway_app, create_peer_app
from exchange.gateway.certstatus import OcspStatusChecker
from exchange.gateway.config import GatewayConfig
from exchange.gateway.consentcheck import AccessRecorder
from exchange.gateway.metrics import GatewayMetrics
from exchange.gateway.ocspclient import OcspTransport
from exchange.gateway.stampjob import StampingJob
from exchange.gateway.tlsserver import BackgroundServer, server_config, write_ca_bundle
from exchange.messages.clock import Clock, utc_now
from exchange.topology.gateways import build_gateway_config, local_fetcher, metrics_credential
from exchange.topology.members import DEFAULT_MEMBERS, MemberSpec
from exchange.topology.ocsp import LocalOcspTransport
from exchange.topology.provision import Topology, provision_exchange
from exchange.xroad.identifiers import ClientId
from keys.pki import load_pki
from keys.tsa.client import LocalTimestampTransport
from onedoor.runtime import Runtime

LOOPBACK = "127.0.0.1"


@dataclass
class DemoExchange:
    """The running demo exchange; ``client_apps`` maps a member code (``LA-GOV-MOHA``) to the
    client-facing app of its gateway. Stop it with :meth:`stop` (or use it as a context)."""

    topology: Topology
    configs: Mapping[ClientId, GatewayConfig]
    client_apps: Mapping[str, FastAPI]
    servers: list[BackgroundServer] = field(default_factory=list)
    stamping: StampingJob | None = None

    def stop(self) -> None:
        for server in self.servers:
            server.stop()
        self.servers.clear()
        if self.stamping is not None:
            self.stamping.stop()
            self.stamping = None
        for config in self.configs.values():
            config.close()

    def __enter__(self) -> DemoExchange:
        return self

    def __exit__(
        self,
        _type: type[BaseException] | None,
        _value: BaseException | None,
        _traceback: TracebackType | None,
    ) -> None:
        self.stop()


def start_demo_exchange(
    runtime: Runtime,
    *,
    base_port: int,
    members: tuple[MemberSpec, ...] = DEFAULT_MEMBERS,
    recorder: AccessRecorder | None = None,
    member_system_url: Callable[[MemberSpec], str] | None = None,
    member_system_transport: httpx.BaseTransport | None = None,
    ocsp_transport: OcspTransport | None = None,
    status_clock: Clock = utc_now,
    stamp_interval: float | None = None,
) -> DemoExchange:
    """Provision ``members`` (peer ports ``base_port``, ``base_port + 1``, ...) and start their
    peer listeners; returns the running exchange.

    Peer certificates are checked with OCSP (``ocsp_transport``, by default the PKI's own
    responders in process; ``status_clock`` their clock and the cache's). With
    ``stamp_interval`` a thread timestamps the message logs that often (RFC 3161, the PKI's TSA).
    """
    ports = {spec.member: base_port + index for index, spec in enumerate(members)}
    topology = provision_exchange(
        runtime,
        gateway_urls={m: f"https://{LOOPBACK}:{port}" for m, port in ports.items()},
        now=utc_now(),
        members=members,
    )
    fetch = local_fetcher(runtime, topology.central)
    pki = load_pki(runtime.settings)
    ocsp = ocsp_transport or LocalOcspTransport(runtime.sessions, pki, clock=status_clock)
    exchange = DemoExchange(topology=topology, configs={}, client_apps={})
    configs: dict[ClientId, GatewayConfig] = {}
    apps: dict[str, FastAPI] = {}
    try:
        for spec in members:
            config = build_gateway_config(
                runtime.settings, spec=spec, keys=topology.gateways[spec.member].keys,
                members=members, sessions=runtime.sessions, fetch=fetch,
                trust_anchor=topology.trust_anchor, recorder=recorder,
                member_system_url=member_system_url,
                member_system_transport=member_system_transport,
                revocation_check=OcspStatusChecker(transport=ocsp, clock=status_clock),
            )
            metrics = GatewayMetrics(spec.member)
            ca_file = write_ca_bundle(
                config.globalconf.current(), topology.gateways[spec.member].keys.folder / "ca.pem"
            )
            server = BackgroundServer(
                server_config(
                    create_peer_app(config, metrics=metrics), host=LOOPBACK,
                    port=ports[spec.member], tls=config.tls, ca_file=ca_file,
                )
            )
            configs[spec.member] = config
            exchange.configs = configs
            server.start()
            exchange.servers.append(server)
            apps[spec.code] = create_gateway_app(
                config, metrics=metrics,
                metrics_token=metrics_credential(runtime.settings, spec),
            )
        if stamp_interval is not None:
            exchange.stamping = StampingJob(
                sessions=runtime.sessions, gateways=[str(spec.member) for spec in members],
                transport=LocalTimestampTransport(runtime.sessions, pki),
                tsa_certificate=pki.timestamp_authority, interval=stamp_interval,
            )
            exchange.stamping.start()
    except BaseException:
        exchange.stop()
        raise
    exchange.client_apps = apps
    return exchange
