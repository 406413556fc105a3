"""Member directory and service catalogue of the central server (keyword-only service functions).

Every change bumps the instance's ``serial`` so the next global configuration supersedes the
previous one. Access rights live in ``grants``.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from sqlalchemy import select
from sqlalchemy.orm import Session

from exchange.central.errors import AlreadyRegisteredError, InvalidEntryError, NotRegisteredError
from exchange.central.models import (
    CentralGroup,
    CentralGroupMember,
    CentralInstance,
    CentralMember,
    CentralService,
    CentralSubsystem,
    CentralTrustedCa,
)
from exchange.xroad.identifiers import ClientId, GlobalGroupId, ServiceId


def init_instance(session: Session, *, instance: str, now: datetime) -> CentralInstance:
    """Create the instance row once; later calls must name the same instance."""
    row = session.get(CentralInstance, 1)
    if row is None:
        ClientId(instance, "X", "X")  # validates the instance code as an identifier part
        row = CentralInstance(id=1, instance=instance, serial=1, updated_at=now)
        session.add(row)
        session.flush()
    elif row.instance != instance:
        raise InvalidEntryError(f"this central server serves instance {row.instance}")
    return row


def get_instance(session: Session) -> CentralInstance:
    row = session.get(CentralInstance, 1)
    if row is None:
        raise NotRegisteredError("the central server has no instance yet")
    return row


def add_member(
    session: Session,
    *,
    member: ClientId,
    name: str,
    gateway_url: str,
    tls_certificate: x509.Certificate,
    signing_certificate: x509.Certificate,
    encryption_key: ec.EllipticCurvePublicKey,
    now: datetime,
) -> CentralMember:
    """Register an organisation with its gateway address, certificates and encryption key."""
    _same_instance(session, member)
    if member.is_subsystem:
        raise InvalidEntryError("register the member first, then its subsystems")
    if urlsplit(gateway_url).scheme != "https" or not urlsplit(gateway_url).hostname:
        raise InvalidEntryError("gateway URL must be an https:// URL")
    if _find_member(session, member) is not None:
        raise AlreadyRegisteredError(f"member {member} is already registered")
    row = CentralMember(
        member_id=str(member),
        name=name,
        gateway_url=gateway_url.rstrip("/"),
        tls_certificate=_pem(tls_certificate),
        signing_certificate=_pem(signing_certificate),
        encryption_key=encryption_key.public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        ).decode(),
        created_at=now,
    )
    session.add(row)
    bump_serial(session, now)
    return row


def update_member(
    session: Session,
    *,
    member: ClientId,
    name: str,
    gateway_url: str,
    tls_certificate: x509.Certificate,
    signing_certificate: x509.Certificate,
    encryption_key: ec.EllipticCurvePublicKey,
    now: datetime,
) -> bool:
    """Bring a registered member's entry up to date (new address, renewed certificates or
    rotated key); bumps the serial only if something changed. Returns whether it did."""
    row = _member_row(session, member)
    if urlsplit(gateway_url).scheme != "https" or not urlsplit(gateway_url).hostname:
        raise InvalidEntryError("gateway URL must be an https:// URL")
    wanted = {
        "name": name,
        "gateway_url": gateway_url.rstrip("/"),
        "tls_certificate": _pem(tls_certificate),
        "signing_certificate": _pem(signing_certificate),
        "encryption_key": encryption_key.public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        ).decode(),
    }
    changed = {k: v for k, v in wanted.items() if getattr(row, k) != v}
    for key, value in changed.items():
        setattr(row, key, value)
    if changed:
        bump_serial(session, now)
    return bool(changed)


def is_registered(session: Session, client: ClientId) -> bool:
    """Whether the member (or subsystem, and its member) is in the directory."""
    if _find_member(session, client.member) is None:
        return False
    return not client.is_subsystem or _find_subsystem(session, client) is not None


def is_service_registered(session: Session, service: ServiceId) -> bool:
    return _find_service(session, service) is not None


def trusted_ca_names(session: Session) -> set[str]:
    return set(session.scalars(select(CentralTrustedCa.name)))


def add_subsystem(session: Session, *, subsystem: ClientId, now: datetime) -> CentralSubsystem:
    if subsystem.subsystem is None:
        raise InvalidEntryError("a subsystem identifier has four parts")
    member = _member_row(session, subsystem.member)
    if _find_subsystem(session, subsystem) is not None:
        raise AlreadyRegisteredError(f"subsystem {subsystem} is already registered")
    row = CentralSubsystem(member_pk=member.id, code=subsystem.subsystem)
    session.add(row)
    bump_serial(session, now)
    return row


def add_trusted_ca(
    session: Session, *, name: str, certificate: x509.Certificate, now: datetime
) -> None:
    """Trust ``certificate`` as a CA issuing member certificates (the organisation CA)."""
    constraints = certificate.extensions.get_extension_for_class(x509.BasicConstraints).value
    if not constraints.ca:
        raise InvalidEntryError("a trusted CA certificate must be a CA certificate")
    if session.scalar(select(CentralTrustedCa).where(CentralTrustedCa.name == name)):
        raise AlreadyRegisteredError(f"CA {name} is already trusted")
    session.add(CentralTrustedCa(name=name, certificate=_pem(certificate)))
    bump_serial(session, now)


def set_timestamp_authority(
    session: Session, *, url: str, certificate: x509.Certificate, now: datetime
) -> None:
    row = get_instance(session)
    row.tsa_url, row.tsa_certificate = url, _pem(certificate)
    bump_serial(session, now)


def add_group_member(
    session: Session, *, group: GlobalGroupId, client: ClientId, now: datetime
) -> None:
    """Add ``client`` to a global group, creating the group on first use."""
    check_registered(session, client)
    row = session.scalar(select(CentralGroup).where(CentralGroup.code == str(group)))
    if row is None:
        row = CentralGroup(code=str(group), description=group.group_code)
        session.add(row)
        session.flush()
    exists = select(CentralGroupMember).where(
        CentralGroupMember.group_pk == row.id, CentralGroupMember.client_id == str(client)
    )
    if session.scalar(exists) is not None:
        raise AlreadyRegisteredError(f"{client} is already in {group}")
    session.add(CentralGroupMember(group_pk=row.id, client_id=str(client)))
    bump_serial(session, now)


def add_service(
    session: Session,
    *,
    service: ServiceId,
    title: str,
    openapi: dict[str, Any] | None,
    now: datetime,
) -> CentralService:
    subsystem = _subsystem_row(session, service.provider)
    if _find_service(session, service) is not None:
        raise AlreadyRegisteredError(f"service {service} is already registered")
    row = CentralService(
        service_id=str(service),
        subsystem_pk=subsystem.id,
        title=title,
        openapi=json.dumps(openapi, sort_keys=True) if openapi is not None else None,
    )
    session.add(row)
    bump_serial(session, now)
    return row


def bump_serial(session: Session, now: datetime) -> None:
    row = get_instance(session)
    row.serial += 1
    row.updated_at = now
    session.flush()


def _same_instance(session: Session, client: ClientId) -> None:
    if get_instance(session).instance != client.instance:
        raise InvalidEntryError(f"{client} is not in this instance")


def check_registered(session: Session, client: ClientId) -> None:
    if client.is_subsystem:
        _subsystem_row(session, client)
    else:
        _member_row(session, client)


def _find_member(session: Session, member: ClientId) -> CentralMember | None:
    return session.scalar(select(CentralMember).where(CentralMember.member_id == str(member)))


def _member_row(session: Session, member: ClientId) -> CentralMember:
    row = _find_member(session, member)
    if row is None:
        raise NotRegisteredError(f"member {member} is not registered")
    return row


def _find_subsystem(session: Session, subsystem: ClientId) -> CentralSubsystem | None:
    member = _member_row(session, subsystem.member)
    return session.scalar(
        select(CentralSubsystem).where(
            CentralSubsystem.member_pk == member.id, CentralSubsystem.code == subsystem.subsystem
        )
    )


def _subsystem_row(session: Session, subsystem: ClientId) -> CentralSubsystem:
    row = _find_subsystem(session, subsystem)
    if row is None:
        raise NotRegisteredError(f"subsystem {subsystem} is not registered")
    return row


def _find_service(session: Session, service: ServiceId) -> CentralService | None:
    return session.scalar(select(CentralService).where(CentralService.service_id == str(service)))


def service_row(session: Session, service: ServiceId) -> CentralService:
    row = _find_service(session, service)
    if row is None:
        raise NotRegisteredError(f"service {service} is not registered")
    return row


def _pem(certificate: x509.Certificate) -> str:
    return certificate.public_bytes(serialization.Encoding.PEM).decode()
