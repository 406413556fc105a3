"""A small exchange on loopback: central server (in-process), provider gateway (uvicorn, mTLS),
consumer gateway (in-process), and a fake member system that records what reached it."""

from __future__ import annotations

import json
import secrets
import socket
import ssl
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from exchange.central.app import create_central_app
from exchange.central.directory import (
    add_group_member,
    add_member,
    add_service,
    add_subsystem,
    add_trusted_ca,
    init_instance,
)
from exchange.central.grants import grant
from exchange.central.signer import CentralSigner, self_signed_certificate
from exchange.gateway.app import create_gateway_app, create_peer_app
from exchange.gateway.confclient import ConfigurationClient
from exchange.gateway.config import BodyValidator, GatewayConfig, ServiceBinding, TlsFiles
from exchange.gateway.peerclient import PEER_PATH
from exchange.gateway.tlsserver import BackgroundServer, server_config, write_ca_bundle
from exchange.messages.envelope import MEDIA_TYPE, seal
from exchange.messages.header import MessageHeader
from exchange.xroad.errors import NetworkError
from exchange.xroad.identifiers import ClientId, GlobalGroupId, ServiceId
from onedoor.config import Settings
from onedoor.db import session_factory, transaction
from onedoor.runtime import create_runtime
from tests.exchange.gateway.pki import MemberKeys, TestPki, build_pki, derive_key
from tests.support.ports import free_port

MOF = ClientId("LA", "GOV", "MOF")
MOF_APP = ClientId("LA", "GOV", "MOF", "APP")
MOF_OTHER = ClientId("LA", "GOV", "MOF", "OTHER")
MOH = ClientId("LA", "GOV", "MOH")
MOH_REG = ClientId("LA", "GOV", "MOH", "REG")
ACME = ClientId("LA", "COM", "ACME")
MOE = ClientId("LA", "GOV", "MOE")
MOT = ClientId("LA", "GOV", "MOT")  # its gateway accepts TCP connections and never answers
MOJ = ClientId("LA", "GOV", "MOJ")  # its directory entry points at MOH's gateway: an impostor
PERSONS = ServiceId(MOH_REG, "persons")
CHECKED = ServiceId(MOH_REG, "checked")
SCHOOLS = ServiceId(ClientId("LA", "GOV", "MOE", "EDU"), "schools")
UNBOUND = ServiceId(MOH_REG, "unbound")
CASES = ServiceId(ClientId("LA", "GOV", "MOJ", "CRT"), "cases")
TAXES = ServiceId(ClientId("LA", "GOV", "MOT", "TAX"), "taxes")
METRICS_TOKEN = "operator-metrics-credential-for-the-test-world"
OPENAPI = {"openapi": "3.0.3", "info": {"title": "Persons", "version": "1"}, "paths": {}}


@dataclass
class FakeMemberSystem:
    """Records every request that reaches it; answers like a small registry."""

    calls: list[httpx.Request] = field(default_factory=list)

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.calls.append(request)
        if request.method == "POST":
            return httpx.Response(201, content=request.content, headers={
                "content-type": request.headers.get("content-type", "application/octet-stream")
            })
        record = {"person": request.url.path.rsplit("/", 1)[-1], "name": "Test Person"}
        return httpx.Response(200, json=record)


@dataclass
class CentralSwitch:
    app: Any
    up: bool = True

    def fetch(self) -> bytes:
        if not self.up:
            raise NetworkError("central server is unreachable")
        with TestClient(self.app) as client:
            return client.get("/globalconf").content


def reject_bad(*, direction: str, body: bytes, content_type: str | None) -> None:
    """A trivial stand-in for the XSD validators: bodies containing ``bad`` do not conform."""
    if b"bad" in body:
        raise ValueError(f"{direction} body is bad")


@dataclass
class World:
    pki: TestPki
    keys: dict[ClientId, MemberKeys]
    central: CentralSwitch
    central_certificate: Any
    member_system: FakeMemberSystem
    provider: GatewayConfig
    consumer: GatewayConfig
    client: TestClient
    provider_url: str
    folder: Path

    def tls_files(self, keys: MemberKeys, name: str) -> TlsFiles:
        cert, key = keys.write_tls(self.folder / "attackers" / name)
        return TlsFiles(certificate=cert, key=key)

    def peer_post(self, tls: TlsFiles, wire: str | bytes) -> httpx.Response:
        """POST straight to the provider gateway's mTLS port, as another gateway would."""
        context = ssl.create_default_context(cadata=self.pki.ca_bundle().decode())
        context.load_cert_chain(tls.certificate, tls.key)
        with httpx.Client(verify=context, timeout=10, trust_env=False) as client:
            return client.post(
                self.provider_url + PEER_PATH,
                content=wire.encode() if isinstance(wire, str) else wire,
                headers={"Content-Type": MEDIA_TYPE},
            )

    def forge(self, signer: MemberKeys, **overrides: Any) -> str:
        """A sealed request to the provider, signed by ``signer`` (overridable fields)."""
        recipient_key = overrides.pop("recipient_key", self.keys[MOH].encryption.public_key())
        body = overrides.pop("body", b"")
        fields: dict[str, Any] = {
            "kind": "request", "message_id": secrets.token_hex(8), "sender": signer.member,
            "recipient": MOH, "client": ClientId(*str(signer.member).split("/"), "APP"),
            "service": PERSONS, "issued_at": int(datetime.now(UTC).timestamp()),
            "method": "GET", "path": "/persons/42", "headers": {},
        }
        fields.update(overrides)
        return seal(
            header=MessageHeader(**fields), body=body, signing_key=signer.signing.key,
            signing_certificate=signer.signing.certificate, recipient_key=recipient_key,
        )


def build_world(folder: Path, engine: Engine) -> Iterator[World]:
    pki = build_pki()
    keys = {m: pki.member(m) for m in (MOF, MOH, ACME, MOE, MOJ, MOT)}
    hung = socket.socket()
    hung.bind(("127.0.0.1", 0))
    hung.listen(8)
    now = datetime.now(UTC)
    provider_port, dead_port = free_port(), free_port()
    provider_url = f"https://127.0.0.1:{provider_port}"
    sessions = session_factory(engine)
    with transaction(sessions) as session:
        init_instance(session, instance="LA", now=now)
        add_trusted_ca(session, name="root", certificate=pki.root.certificate, now=now)
        add_trusted_ca(session, name="organisation", certificate=pki.org_ca.certificate, now=now)
        for member, url in ((MOF, "https://127.0.0.1:9"), (MOH, provider_url),
                            (ACME, "https://127.0.0.1:9"), (MOE, f"https://127.0.0.1:{dead_port}"),
                            (MOJ, provider_url),
                            (MOT, f"https://127.0.0.1:{hung.getsockname()[1]}")):
            k = keys[member]
            add_member(
                session, member=member, name=f"Ministry {member.member_code}", gateway_url=url,
                tls_certificate=k.tls.certificate, signing_certificate=k.signing.certificate,
                encryption_key=k.encryption.public_key(), now=now,
            )
        for subsystem in (MOF_APP, MOF_OTHER, MOH_REG, SCHOOLS.provider, CASES.provider,
                          TAXES.provider, ClientId("LA", "COM", "ACME", "APP")):
            add_subsystem(session, subsystem=subsystem, now=now)
        add_service(session, service=PERSONS, title="Persons", openapi=OPENAPI, now=now)
        for service in (CHECKED, SCHOOLS, UNBOUND, CASES, TAXES):
            add_service(session, service=service, title=service.service_code, openapi=None, now=now)
        grant(session, service=PERSONS, subject=MOF_APP, method="*", path_prefix="/persons",
              now=now)
        group = GlobalGroupId("LA", "ministries")
        add_group_member(session, group=group, client=MOF, now=now)
        for service in (CHECKED, SCHOOLS, UNBOUND, CASES, TAXES):
            grant(session, service=service, subject=group, now=now)
    settings = Settings(state_dir=folder / "central", database_url=str(engine.url),
                        key_passphrase="test")
    runtime = create_runtime(settings, engine=engine)
    central_key = derive_key("central server")
    signer = CentralSigner(
        key=central_key, certificate=self_signed_certificate(central_key, now=now)
    )
    central = CentralSwitch(create_central_app(runtime, signer=signer))
    member_system = FakeMemberSystem()
    validators: dict[ServiceId, BodyValidator] = {CHECKED: reject_bad}

    def gateway(member: ClientId, name: str, **extra: Any) -> GatewayConfig:
        k = keys[member]
        cert, key = k.write_tls(folder / name)
        return GatewayConfig(
            member=member, tls=TlsFiles(certificate=cert, key=key),
            tls_certificate=k.tls.certificate, signing_key=k.signing.key,
            signing_certificate=k.signing.certificate, encryption_key=k.encryption,
            globalconf=ConfigurationClient(
                fetch=central.fetch, trust_anchor=signer.certificate,
                cache_path=folder / name / "globalconf.json",
            ),
            sessions=sessions, log_key=bytes(range(32)), max_body_bytes=64_000,
            peer_timeout=5.0, peer_connect_timeout=2.0, **extra,
        )

    binding = ServiceBinding(url="http://registry.internal/api")
    provider = gateway(
        MOH, "provider", services={PERSONS: binding, CHECKED: binding},
        validators=validators, member_system_transport=httpx.MockTransport(member_system.handle),
    )
    consumer = gateway(MOF, "consumer")
    ca_file = write_ca_bundle(provider.globalconf.current(), folder / "provider" / "ca.pem")
    server = BackgroundServer(
        server_config(create_peer_app(provider), host="127.0.0.1", port=provider_port,
                      tls=provider.tls, ca_file=ca_file)
    )
    server.start()
    try:
        app = create_gateway_app(consumer, metrics_token=METRICS_TOKEN)
        with TestClient(app) as client:
            yield World(
                pki=pki, keys=keys, central=central, central_certificate=signer.certificate,
                member_system=member_system, provider=provider, consumer=consumer,
                client=client, provider_url=provider_url, folder=folder,
            )
    finally:
        server.stop()
        provider.close()
        consumer.close()
        hung.close()


def error_type(response: httpx.Response) -> str:
    body = json.loads(response.content)
    assert body["type"] == response.headers["X-Road-Error"]
    assert set(body) == {"type", "message", "detail"}
    return str(body["type"])
