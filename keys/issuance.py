"""Issue end-entity certificates from the issuing CAs and record them in the register."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric.types import CertificatePublicKeyTypes
from sqlalchemy.orm import Session

from keys import profiles
from keys.certificates import Clock, SerialSource, build_certificate, utc_now
from keys.errors import InvalidCertificateRequestError
from keys.layout import CITIZEN_CA, ORGANISATION_CA, SERVICES_CA
from keys.pki import Pki
from keys.profiles import Profile
from keys.registry import record_certificate
from keys.subjects import member_subject, service_subject

# Which CA may issue which end-entity profile; CA certificates only come from `keys init`.
CA_PROFILES: dict[str, frozenset[str]] = {
    ORGANISATION_CA: frozenset({profiles.MEMBER_TLS.name, profiles.MEMBER_SIGNING.name}),
    CITIZEN_CA: frozenset({profiles.CITIZEN_SIGNING.name}),
    SERVICES_CA: frozenset(
        {profiles.SERVICE_TLS.name, profiles.TIMESTAMPING.name, profiles.OCSP_RESPONDER.name}
    ),
}


def issue_certificate(
    *,
    session: Session,
    pki: Pki,
    ca: str,
    profile: Profile,
    subject: x509.Name,
    public_key: CertificatePublicKeyTypes,
    hosts: Sequence[str] = (),
    member_id: str | None = None,
    clock: Clock = utc_now,
    serial_numbers: SerialSource = x509.random_serial_number,
) -> x509.Certificate:
    """Sign ``public_key`` under ``profile`` by ``ca`` and record it as good."""
    if profile.name not in CA_PROFILES.get(ca, frozenset()):
        raise InvalidCertificateRequestError(f"{ca} does not issue {profile.name} certificates")
    certificate = build_certificate(
        profile=profile,
        subject=subject,
        public_key=public_key,
        issuer=pki.ca_certificate(ca),
        issuer_key=pki.ca_key(ca),
        issuer_ca=ca,
        urls=pki.urls,
        now=clock(),
        serial_number=serial_numbers(),
        hosts=hosts,
    )
    record_certificate(
        session=session,
        certificate=certificate,
        issuer=ca,
        profile=profile.name,
        member_id=member_id,
    )
    return certificate


def issue_member_tls_certificate(
    *,
    session: Session,
    pki: Pki,
    member_id: str,
    member_name: str,
    public_key: CertificatePublicKeyTypes,
    hosts: Sequence[str],
    clock: Clock = utc_now,
) -> x509.Certificate:
    """A member gateway's TLS certificate, usable as server and as client (mutual TLS)."""
    return issue_certificate(
        session=session,
        pki=pki,
        ca=ORGANISATION_CA,
        profile=profiles.MEMBER_TLS,
        subject=member_subject(member_id, member_name),
        public_key=public_key,
        hosts=hosts,
        member_id=member_id,
        clock=clock,
    )


def issue_member_signing_certificate(
    *,
    session: Session,
    pki: Pki,
    member_id: str,
    member_name: str,
    public_key: CertificatePublicKeyTypes,
    clock: Clock = utc_now,
) -> x509.Certificate:
    """A member's message-signing certificate (digitalSignature only)."""
    return issue_certificate(
        session=session,
        pki=pki,
        ca=ORGANISATION_CA,
        profile=profiles.MEMBER_SIGNING,
        subject=member_subject(member_id, member_name),
        public_key=public_key,
        member_id=member_id,
        clock=clock,
    )


@dataclass(frozen=True)
class MemberCertificates:
    """A member's two certificates and the chain above them (organisation CA, root)."""

    tls: x509.Certificate
    signing: x509.Certificate
    chain: tuple[x509.Certificate, ...]


def issue_member_certificates(
    *,
    session: Session,
    pki: Pki,
    member_id: str,
    member_name: str,
    tls_public_key: CertificatePublicKeyTypes,
    signing_public_key: CertificatePublicKeyTypes,
    hosts: Sequence[str],
    clock: Clock = utc_now,
) -> MemberCertificates:
    """Both certificates a member needs to join the exchange; the member keeps its keys."""
    tls = issue_member_tls_certificate(
        session=session,
        pki=pki,
        member_id=member_id,
        member_name=member_name,
        public_key=tls_public_key,
        hosts=hosts,
        clock=clock,
    )
    signing = issue_member_signing_certificate(
        session=session,
        pki=pki,
        member_id=member_id,
        member_name=member_name,
        public_key=signing_public_key,
        clock=clock,
    )
    return MemberCertificates(tls=tls, signing=signing, chain=pki.chain(ORGANISATION_CA))


def issue_service_tls_certificate(
    *,
    session: Session,
    pki: Pki,
    common_name: str,
    public_key: CertificatePublicKeyTypes,
    hosts: Sequence[str],
    clock: Clock = utc_now,
) -> x509.Certificate:
    """A TLS server certificate for one of OneDoor's own endpoints."""
    return issue_certificate(
        session=session,
        pki=pki,
        ca=SERVICES_CA,
        profile=profiles.SERVICE_TLS,
        subject=service_subject(common_name),
        public_key=public_key,
        hosts=hosts,
        clock=clock,
    )
