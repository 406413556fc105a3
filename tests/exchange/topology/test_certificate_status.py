"""Peer certificate status (OCSP) across the real demo exchange: a member whose TLS or signing
certificate the organisation CA revoked is refused and nothing reaches the member system; a
cached good answer keeps the exchange running while the responder is down, until it expires."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import pytest
from cryptography import x509
from fastapi.testclient import TestClient

from exchange.gateway.errors import CertificateStatusUnavailableError
from exchange.gateway.logcontainer import export_container, verify_gateway_log
from exchange.messages.clock import utc_now
from exchange.topology.ocsp import LocalOcspTransport
from exchange.xroad.identifiers import ClientId
from keys.layout import ORGANISATION_CA
from keys.pki import load_pki
from keys.registry import revoke_certificate
from onedoor.db import transaction
from tests.exchange.topology.conftest import DemoWorld, error_detail, run_demo
from tests.exchange.topology.test_demo_exchange import CIVIL, give

PURPOSE = "child-allowance-eligibility"


@dataclass
class ShiftedClock:
    offset: timedelta = timedelta()

    def __call__(self) -> datetime:
        return utc_now() + self.offset


@dataclass
class Responder:
    clock: ShiftedClock
    inner: LocalOcspTransport | None = None
    up: bool = True
    calls: list[str] = field(default_factory=list)

    def fetch(self, url: str, request: bytes) -> bytes:
        self.calls.append(url)
        if not self.up or self.inner is None:
            raise CertificateStatusUnavailableError("OCSP responder unreachable (ConnectError)")
        return self.inner.fetch(url, request)


@dataclass
class StatusWorld:
    demo: DemoWorld
    clock: ShiftedClock
    responder: Responder

    def expire_cached_answers(self) -> None:
        self.clock.offset += timedelta(minutes=21)

    def call(self, member: str, subsystem: str) -> Any:
        consumer = f"LA/GOV/{member}"
        consent = give(self.demo, self.demo.person, consumer=consumer)
        with TestClient(self.demo.exchange.client_apps[f"LA-GOV-{member}"]) as client:
            return client.get(
                f"{CIVIL}/person/{self.demo.person}",
                headers={"X-Road-Client": f"{consumer}/{subsystem}", "X-OneDoor-Purpose": PURPOSE,
                         "X-OneDoor-Subject": self.demo.person, "X-OneDoor-Consent": consent},
            )

    def revoke(self, member: str, which: str) -> None:
        keys = self.demo.exchange.topology.gateways[ClientId("LA", "GOV", member)].keys
        certificate: x509.Certificate = getattr(keys, f"{which}_certificate")
        with transaction(self.demo.runtime.sessions) as session:
            revoke_certificate(
                session=session, issuer=ORGANISATION_CA,
                serial_number=certificate.serial_number, reason=x509.ReasonFlags.key_compromise,
            )


@pytest.fixture(scope="module")
def status(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StatusWorld]:
    clock = ShiftedClock()
    responder = Responder(clock)
    for demo in run_demo(
        tmp_path_factory.mktemp("status"), ocsp_transport=responder, status_clock=clock,
        stamp_interval=3600,
    ):
        responder.inner = LocalOcspTransport(
            demo.runtime.sessions, load_pki(demo.runtime.settings), clock=clock
        )
        yield StatusWorld(demo, clock, responder)


@pytest.fixture
def world(status: StatusWorld) -> StatusWorld:
    status.demo.member_system.paths.clear()
    status.responder.up = True
    return status


def test_a_consumer_whose_tls_certificate_is_revoked_is_refused(world: StatusWorld) -> None:
    assert world.call("MOES", "education").status_code == 200
    assert world.responder.calls  # the peers' certificates were checked with OCSP
    world.revoke("MOES", "tls")
    # X-Road semantics: the provider trusts its cached good answer until it expires...
    assert world.call("MOES", "education").status_code == 200
    world.expire_cached_answers()
    reached = len(world.demo.member_system.paths)
    refused = world.call("MOES", "education")
    assert refused.status_code == 403
    assert error_detail(refused) == ("Server.ServerProxy.CertificateRevoked", "certificate_revoked")
    assert len(world.demo.member_system.paths) == reached


def test_a_consumer_whose_signing_certificate_is_revoked_is_refused(world: StatusWorld) -> None:
    world.revoke("MOH", "signing")
    refused = world.call("MOH", "health")
    assert error_detail(refused) == ("Server.ServerProxy.CertificateRevoked", "certificate_revoked")
    assert world.demo.member_system.paths == []


def test_cached_status_survives_a_responder_outage_until_it_expires(world: StatusWorld) -> None:
    assert world.call("MOLSW", "welfare").status_code == 200
    world.responder.up = False
    assert world.call("MOLSW", "welfare").status_code == 200
    world.expire_cached_answers()
    refused = world.call("MOLSW", "welfare")
    assert refused.status_code == 503
    assert error_detail(refused) == (
        "Server.ClientProxy.CertificateStatusUnavailable", "certificate_status_unavailable"
    )
    assert "no fresh OCSP status" in refused.json()["message"]
    world.responder.up = True
    assert world.call("MOLSW", "welfare").status_code == 200


def test_the_demo_stamps_both_gateways_logs_with_the_pki_tsa(world: StatusWorld) -> None:
    response = world.call("MOLSW", "welfare")
    assert response.status_code == 200
    message_id = response.headers["X-Road-Id"]
    stamping = world.demo.exchange.stamping
    assert stamping is not None
    assert stamping.run_once().rows > 0
    tsa = load_pki(world.demo.runtime.settings).timestamp_authority
    with world.demo.runtime.sessions() as session:
        for gateway in ("LA/GOV/MOLSW", "LA/GOV/MOHA"):
            result = verify_gateway_log(session, gateway=gateway, tsa_certificate=tsa)
            assert result.unstamped == 0 and message_id in result.proven
        exported = export_container(session, gateway="LA/GOV/MOHA", message_id=message_id)
    assert list(exported["hops"][message_id]) == [
        "provider_in", "member_out", "member_in", "provider_out"
    ]


def test_nothing_is_sent_to_a_provider_whose_certificate_is_revoked(world: StatusWorld) -> None:
    world.revoke("MOHA", "signing")
    world.expire_cached_answers()
    refused = world.call("MOLSW", "welfare")
    assert error_detail(refused) == ("Server.ClientProxy.CertificateRevoked", "certificate_revoked")
    assert world.demo.member_system.paths == []


