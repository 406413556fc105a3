"""Provision an exchange from settings: PKI, gateway keys and certificates, and the central
directory (trusted CAs, TSA, members, subsystems, services, grants, consent policies).

Idempotent: a second run changes nothing but what moved (a gateway address, a renewed
certificate), and the directory's serial grows only then.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from sqlalchemy.orm import Session

from exchange.central import directory
from exchange.central.errors import AlreadyRegisteredError
from exchange.central.grants import grant
from exchange.central.signer import CentralSigner, load_or_create_signer
from exchange.consent.basis import set_service_policy
from exchange.topology.keyfiles import DEFAULT_HOSTS, GatewayKeys, ensure_gateway_keys
from exchange.topology.members import DEFAULT_MEMBERS, INSTANCE, MemberSpec
from exchange.xroad.identifiers import ClientId
from keys.bootstrap import ensure_pki
from keys.layout import ORGANISATION_CA, ROOT_CA
from keys.pki import Pki, load_pki
from onedoor.db import transaction
from onedoor.errors import ConfigurationError
from onedoor.runtime import Runtime

TRUSTED_CAS = (("root", ROOT_CA), ("organisation", ORGANISATION_CA))


@dataclass(frozen=True)
class ProvisionedGateway:
    spec: MemberSpec
    keys: GatewayKeys
    gateway_url: str


@dataclass(frozen=True)
class Topology:
    """What provisioning set up: the members, their gateways, the central trust anchor."""

    members: tuple[MemberSpec, ...]
    gateways: Mapping[ClientId, ProvisionedGateway]
    central: CentralSigner

    @property
    def trust_anchor(self) -> x509.Certificate:
        return self.central.certificate


def provision_exchange(
    runtime: Runtime,
    *,
    gateway_urls: Mapping[ClientId, str],
    now: datetime,
    members: tuple[MemberSpec, ...] = DEFAULT_MEMBERS,
    hosts: Sequence[str] = DEFAULT_HOSTS,
) -> Topology:
    """Set up (or bring up to date) every member of ``members`` with its gateway at
    ``gateway_urls[member]`` (https://); ``hosts`` go in the gateways' TLS certificates."""
    settings = runtime.settings
    missing = [str(spec.member) for spec in members if spec.member not in gateway_urls]
    if missing:
        raise ConfigurationError(f"no gateway address for {', '.join(missing)}")
    ensure_pki(settings)
    pki = load_pki(settings)
    gateways: dict[ClientId, ProvisionedGateway] = {}
    with transaction(runtime.sessions) as session:
        _trust(session, pki, now=now)
        for spec in members:
            keys = ensure_gateway_keys(
                settings, session=session, pki=pki, spec=spec, now=now, hosts=hosts
            )
            url = gateway_urls[spec.member]
            _register(session, spec, keys, url, now=now)
            gateways[spec.member] = ProvisionedGateway(spec=spec, keys=keys, gateway_url=url)
        for spec in members:
            _publish(session, spec, now=now)
    return Topology(
        members=members, gateways=gateways, central=load_or_create_signer(settings, now=now)
    )


def _trust(session: Session, pki: Pki, *, now: datetime) -> None:
    directory.init_instance(session, instance=INSTANCE, now=now)
    trusted = directory.trusted_ca_names(session)
    for name, ca in TRUSTED_CAS:
        if name not in trusted:
            directory.add_trusted_ca(
                session, name=name, certificate=pki.ca_certificate(ca), now=now
            )
    tsa_pem = pki.timestamp_authority.public_bytes(serialization.Encoding.PEM).decode()
    tsa_url = pki.urls.base + "/tsa"
    instance = directory.get_instance(session)
    if instance.tsa_url != tsa_url or instance.tsa_certificate != tsa_pem:
        directory.set_timestamp_authority(
            session, url=tsa_url, certificate=pki.timestamp_authority, now=now
        )


def _register(
    session: Session, spec: MemberSpec, keys: GatewayKeys, url: str, *, now: datetime
) -> None:
    register = (
        directory.update_member
        if directory.is_registered(session, spec.member)
        else directory.add_member
    )
    register(
        session, member=spec.member, name=spec.name, gateway_url=url,
        tls_certificate=keys.tls_certificate, signing_certificate=keys.signing_certificate,
        encryption_key=keys.encryption_key.public_key(), now=now,
    )
    for code in spec.subsystems:
        subsystem = ClientId(*_parts(spec.member), code)
        if not directory.is_registered(session, subsystem):
            directory.add_subsystem(session, subsystem=subsystem, now=now)


def _publish(session: Session, spec: MemberSpec, *, now: datetime) -> None:
    for service, publication in spec.services():
        if not directory.is_service_registered(session, service):
            directory.add_service(
                session, service=service, title=publication.title, openapi=None, now=now
            )
        for client in spec.grants_to:
            try:
                grant(session, service=service, subject=client, method="GET", now=now)
            except AlreadyRegisteredError:
                pass
        if publication.basis is not None:
            set_service_policy(
                session, service=str(service), mode=publication.basis,
                data_items=publication.data_items,
            )


def _parts(member: ClientId) -> tuple[str, str, str]:
    return member.instance, member.member_class, member.member_code
