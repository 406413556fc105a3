"""A member's ``GatewayConfig`` from settings, the provisioned keys and the topology: its
services bound to the member system, XSD validators for every published registry service, and
consent enforcement on the services it publishes."""

from __future__ import annotations

import logging
from collections.abc import Callable

import httpx
from cryptography import x509
from sqlalchemy.orm import Session, sessionmaker

from exchange.central.publisher import build_document
from exchange.central.signer import CentralSigner
from exchange.central.signing import sign_configuration
from exchange.gateway.confclient import ConfigurationClient, Fetcher
from exchange.gateway.config import (
    BodyValidator,
    GatewayConfig,
    RevocationCheck,
    ServiceBinding,
    TlsFiles,
)
from exchange.gateway.consentcheck import (
    AccessRecorder,
    ConsentEnforcement,
    LoggingAccessRecorder,
    ReplySubjectCheck,
    SubjectCheck,
    subject_in_household,
    subject_is_last_segment,
)
from exchange.gateway.recordschema import record_validator
from exchange.messages.clock import utc_now
from exchange.messages.header import canonical_json
from exchange.topology.consentkeys import load_consent_keys
from exchange.topology.keyfiles import GatewayKeys
from exchange.topology.members import MemberSpec
from exchange.xroad.identifiers import ServiceId
from onedoor.config import Settings
from onedoor.db import transaction
from onedoor.member_credentials import (
    BearerTransport,
    credential_path,
    load_member_credential,
)
from onedoor.runtime import Runtime

log = logging.getLogger("onedoor.exchange.topology")


def local_fetcher(runtime: Runtime, signer: CentralSigner) -> Fetcher:
    """The signed global configuration straight from the directory (same process, no HTTP)."""

    def fetch() -> bytes:
        with transaction(runtime.sessions) as session:
            document = build_document(session, now=utc_now())
        signed = sign_configuration(document, key=signer.key, certificate=signer.certificate)
        return canonical_json(signed)

    return fetch


def build_gateway_config(
    settings: Settings,
    *,
    spec: MemberSpec,
    keys: GatewayKeys,
    members: tuple[MemberSpec, ...],
    sessions: sessionmaker[Session],
    fetch: Fetcher,
    trust_anchor: x509.Certificate,
    recorder: AccessRecorder | None = None,
    member_system_url: Callable[[MemberSpec], str] | None = None,
    member_system_transport: httpx.BaseTransport | None = None,
    revocation_check: RevocationCheck | None = None,
) -> GatewayConfig:
    """The configuration of ``spec``'s gateway; member systems default to
    ``settings.url_for(spec.member_system)``; ``revocation_check`` checks peer certificates'
    status (``OcspStatusChecker``)."""
    base = member_system_url(spec) if member_system_url else settings.url_for(spec.member_system)
    services = {
        service: ServiceBinding(url=base.rstrip("/") + publication.target)
        for service, publication in spec.services()
    }
    validators: dict[ServiceId, BodyValidator] = {
        service: record_validator(publication.record_type)
        for member in members
        for service, publication in member.services()
    }
    checks: dict[ServiceId, SubjectCheck] = {}
    reply_checks: dict[ServiceId, ReplySubjectCheck] = {}
    for service, publication in spec.services():
        if publication.subject_check == "path":
            checks[service] = subject_is_last_segment
        elif publication.subject_check == "household":
            reply_checks[service] = subject_in_household
    consent = None
    if services:
        consent = ConsentEnforcement(
            keys=load_consent_keys(settings), recorder=recorder or LoggingAccessRecorder(),
            subject_checks=checks, reply_checks=reply_checks,
        )
    return GatewayConfig(
        member=spec.member,
        tls=TlsFiles(
            certificate=keys.tls_certificate_file, key=keys.tls_key_file,
            password=settings.resolve_key_passphrase(),
        ),
        tls_certificate=keys.tls_certificate,
        signing_key=keys.signing_key,
        signing_certificate=keys.signing_certificate,
        encryption_key=keys.encryption_key,
        globalconf=ConfigurationClient(
            fetch=fetch, trust_anchor=trust_anchor, cache_path=keys.folder / "globalconf.json"
        ),
        sessions=sessions,
        log_key=keys.log_key,
        services=services,
        validators=validators,
        consent=consent,
        revocation_check=revocation_check,
        member_system_transport=member_system_transport
        or BearerTransport(
            load_member_credential(
                settings, spec.member_system, create=settings.environment == "development"
            )
        ),
    )


def metrics_credential(settings: Settings, spec: MemberSpec) -> str | None:
    """The operator's bearer credential for the gateway's ``/metrics``
    (``member-systems/metrics-<member code>.token``): created in development; in production
    provisioned by the operator, and without it ``/metrics`` is not served at all."""
    path = credential_path(settings, f"metrics-{spec.code}")
    if settings.environment != "development" and not path.exists():
        log.warning("gateway metrics disabled: no operator credential", extra={
            "member": str(spec.member)})
        return None
    return load_member_credential(
        settings, f"metrics-{spec.code}", create=settings.environment == "development"
    )
