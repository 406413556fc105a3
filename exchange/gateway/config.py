"""What a security gateway is given: its member, keys, trust, local services and settings."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal, Protocol

import httpx
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec
from sqlalchemy.orm import Session, sessionmaker

from exchange.central.globalconf import GlobalConfiguration
from exchange.gateway.consentcheck import ConsentEnforcement
from exchange.messages.clock import Clock, utc_now
from exchange.messages.freshness import DEFAULT_WINDOW_SECONDS
from exchange.xroad.identifiers import ClientId, ServiceId

if TYPE_CHECKING:
    from exchange.gateway.membersystem import MemberSystemClients
    from exchange.gateway.peerclient import PeerClients

Direction = Literal["request", "response"]


class BodyValidator(Protocol):
    """Validates a message body against the service's schema; raises SchemaValidationError."""

    def __call__(self, *, direction: Direction, body: bytes, content_type: str | None) -> None: ...


class ConfigurationSource(Protocol):
    """Where the gateway reads the verified global configuration (see ``ConfigurationClient``)."""

    def current(self) -> GlobalConfiguration: ...


# Certificate status (``certstatus.OcspStatusChecker``): given a certificate and the issuer its
# chain was built through, raise a CertValidationError unless its status is known to be good.
RevocationCheck = Callable[[x509.Certificate, x509.Certificate], None]


@dataclass(frozen=True)
class TlsFiles:
    """PEM files for TLS (the ssl module reads files): the member's certificate and key."""

    certificate: Path
    key: Path
    password: bytes | None = None


@dataclass(frozen=True)
class ServiceBinding:
    """Where the provider's gateway forwards calls to one of its services."""

    url: str
    timeout: float = 30.0


@dataclass(frozen=True)
class GatewayConfig:
    member: ClientId
    tls: TlsFiles
    tls_certificate: x509.Certificate
    signing_key: ec.EllipticCurvePrivateKey
    signing_certificate: x509.Certificate
    encryption_key: ec.EllipticCurvePrivateKey
    globalconf: ConfigurationSource
    sessions: sessionmaker[Session]
    log_key: bytes
    services: Mapping[ServiceId, ServiceBinding] = field(default_factory=dict)
    validators: Mapping[ServiceId, BodyValidator] = field(default_factory=dict)
    clock: Clock = utc_now
    message_window: int = DEFAULT_WINDOW_SECONDS
    max_body_bytes: int = 1_000_000
    peer_timeout: float = 30.0
    peer_connect_timeout: float = 5.0
    revocation_check: RevocationCheck | None = None
    member_system_transport: httpx.BaseTransport | None = None
    consent: ConsentEnforcement | None = None
    # Pooled connections, made fresh for every config (also by dataclasses.replace).
    peer_clients: PeerClients = field(
        default_factory=lambda: _peer_clients(), init=False, compare=False, repr=False
    )
    member_system_clients: MemberSystemClients = field(
        default_factory=lambda: _member_system_clients(), init=False, compare=False, repr=False
    )

    def __post_init__(self) -> None:
        if self.member.is_subsystem:
            raise ValueError("a gateway belongs to a member, not a subsystem")
        if len(self.log_key) != 32:
            raise ValueError("the message log key is 32 bytes (AES-256)")

    def close(self) -> None:
        """Close the pooled connections (when the gateway stops)."""
        self.peer_clients.close()
        self.member_system_clients.close()

    @property
    def max_envelope_bytes(self) -> int:
        """Encrypted, base64-wrapped twice, plus headers: the body grows by under 2x + 16 KiB."""
        return 2 * self.max_body_bytes + 16_384


def _member_system_clients() -> MemberSystemClients:
    from exchange.gateway.membersystem import MemberSystemClients

    return MemberSystemClients()


def _peer_clients() -> PeerClients:
    from exchange.gateway.peerclient import PeerClients

    return PeerClients()
