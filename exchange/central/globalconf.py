"""The global configuration document: what every gateway trusts, parsed into frozen values.

Document (``version`` 1), JSON, signed as a whole by the central server (see ``signing``):
``{version, instance, serial, generated_at, expires_at, trusted_cas[], timestamp_authority,
members[], groups[], services[]}``. ``serial`` grows with every change of the directory so a
gateway can refuse an older configuration than the one it already holds.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from exchange.xroad.errors import (
    InvalidGlobalConfError,
    UnknownMemberError,
    UnknownServiceError,
    XRoadError,
)
from exchange.xroad.identifiers import (
    ClientId,
    ServiceId,
    parse_member_id,
    parse_service_id,
)

FORMAT_VERSION = 1


@dataclass(frozen=True)
class MemberEntry:
    id: ClientId
    name: str
    gateway_url: str
    tls_certificate: x509.Certificate
    signing_certificate: x509.Certificate
    encryption_key: ec.EllipticCurvePublicKey
    subsystems: frozenset[str]


@dataclass(frozen=True)
class AccessRight:
    """``subject`` (member, subsystem or ``group:``) may call ``method`` under ``path_prefix``."""

    subject: str
    method: str
    path_prefix: str


@dataclass(frozen=True)
class ServiceEntry:
    id: ServiceId
    title: str
    openapi: Mapping[str, Any] | None
    access: tuple[AccessRight, ...]


@dataclass(frozen=True)
class GlobalConfiguration:
    version: int
    instance: str
    serial: int
    generated_at: datetime
    expires_at: datetime
    trusted_cas: tuple[x509.Certificate, ...]
    tsa_url: str | None
    tsa_certificate: x509.Certificate | None
    members: Mapping[ClientId, MemberEntry]
    groups: Mapping[str, frozenset[str]]
    services: Mapping[ServiceId, ServiceEntry]

    def member(self, member_id: ClientId) -> MemberEntry:
        """The directory entry of ``member_id``'s member; raises UnknownMemberError."""
        entry = self.members.get(member_id.member)
        if entry is None:
            raise UnknownMemberError(f"member {member_id.member} is not in the directory")
        return entry

    def check_client(self, client: ClientId) -> MemberEntry:
        """Raise UnknownMemberError unless the member (and subsystem) are registered."""
        entry = self.member(client)
        if client.subsystem is not None and client.subsystem not in entry.subsystems:
            raise UnknownMemberError(f"subsystem {client} is not in the directory")
        return entry

    def service(self, service_id: ServiceId) -> ServiceEntry:
        entry = self.services.get(service_id)
        if entry is None:
            raise UnknownServiceError(f"service {service_id} is not in the catalogue")
        return entry

    def groups_of(self, client: ClientId) -> frozenset[str]:
        """Global groups that hold ``client`` or, for a subsystem, its member."""
        names = {str(client), str(client.member)}
        return frozenset(code for code, members in self.groups.items() if names & members)

    def services_of(self, provider: ClientId) -> list[ServiceEntry]:
        return [entry for sid, entry in sorted(self.services.items()) if sid.provider == provider]


def parse_global_configuration(document: Any) -> GlobalConfiguration:
    """Parse a (verified) document; anything malformed raises InvalidGlobalConfError."""
    try:
        if document["version"] != FORMAT_VERSION:
            raise ValueError(f"unsupported version {document['version']!r}")
        tsa = document["timestamp_authority"]
        members = {entry.id: entry for entry in map(_member, document["members"])}
        services = {entry.id: entry for entry in map(_service, document["services"])}
        return GlobalConfiguration(
            version=FORMAT_VERSION,
            instance=_text(document["instance"]),
            serial=_integer(document["serial"]),
            generated_at=_time(document["generated_at"]),
            expires_at=_time(document["expires_at"]),
            trusted_cas=tuple(_certificate(ca["certificate"]) for ca in document["trusted_cas"]),
            tsa_url=tsa["url"] if tsa else None,
            tsa_certificate=_certificate(tsa["certificate"]) if tsa else None,
            members=members,
            groups={
                _text(g["id"]): frozenset(_text(m) for m in g["members"])
                for g in document["groups"]
            },
            services=services,
        )
    except XRoadError as exc:
        raise InvalidGlobalConfError(f"global configuration is malformed: {exc.message}") from exc
    except (KeyError, TypeError, ValueError) as exc:
        raise InvalidGlobalConfError("global configuration is malformed") from exc


def _member(data: Any) -> MemberEntry:
    key = serialization.load_pem_public_key(_text(data["encryption_key"]).encode())
    if not isinstance(key, ec.EllipticCurvePublicKey):
        raise ValueError("encryption key must be an EC key")
    return MemberEntry(
        id=parse_member_id(_text(data["id"])),
        name=_text(data["name"]),
        gateway_url=_text(data["gateway_url"]),
        tls_certificate=_certificate(data["tls_certificate"]),
        signing_certificate=_certificate(data["signing_certificate"]),
        encryption_key=key,
        subsystems=frozenset(_text(code) for code in data["subsystems"]),
    )


def _service(data: Any) -> ServiceEntry:
    openapi = data["openapi"]
    if openapi is not None and not isinstance(openapi, dict):
        raise ValueError("openapi must be an object")
    return ServiceEntry(
        id=parse_service_id(_text(data["id"])),
        title=_text(data["title"]),
        openapi=openapi,
        access=tuple(
            AccessRight(
                subject=_text(a["subject"]),
                method=_text(a["method"]),
                path_prefix=_text(a["path_prefix"]),
            )
            for a in data["access"]
        ),
    )


def _certificate(pem: Any) -> x509.Certificate:
    return x509.load_pem_x509_certificate(_text(pem).encode())


def _time(value: Any) -> datetime:
    parsed = datetime.fromisoformat(_text(value))
    if parsed.tzinfo is None:
        raise ValueError("time without a time zone")
    return parsed


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("expected text")
    return value


def _integer(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError("expected an integer")
    return value

