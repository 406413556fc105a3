"""The register of issued certificates: record, look up, revoke (RFC 5280 section 5.3.1)."""

from __future__ import annotations

from datetime import UTC, datetime

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from sqlalchemy import select
from sqlalchemy.orm import Session

from keys.certificates import Clock, utc_now
from keys.errors import (
    CertificateAlreadyRevokedError,
    CertificateNotFoundError,
    InvalidCertificateRequestError,
)
from keys.layout import ENTITIES
from keys.models import GOOD, REVOKED, KeysCertificate
from keys.pki import Pki


def serial_hex(serial_number: int) -> str:
    """How serial numbers are stored: lower-case hex without leading zeros."""
    return f"{serial_number:x}"


def as_utc(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; everything stored is UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def record_certificate(
    *,
    session: Session,
    certificate: x509.Certificate,
    issuer: str,
    profile: str,
    member_id: str | None = None,
) -> KeysCertificate:
    """Add an issued certificate to the register (status good)."""
    record = KeysCertificate(
        issuer=issuer,
        serial=serial_hex(certificate.serial_number),
        profile=profile,
        subject=certificate.subject.rfc4514_string(),
        member_id=member_id,
        fingerprint=certificate.fingerprint(hashes.SHA256()).hex(),
        not_before=certificate.not_valid_before_utc,
        not_after=certificate.not_valid_after_utc,
        status=GOOD,
        pem=certificate.public_bytes(serialization.Encoding.PEM).decode("ascii"),
    )
    session.add(record)
    session.flush()
    return record


def record_pki_certificates(*, session: Session, pki: Pki) -> int:
    """Register the PKI's own non-root certificates once (so the root CRL can list them)."""
    added = 0
    for spec in ENTITIES:
        if spec.is_root:
            continue
        certificate = pki.certificates[spec.name]
        serial_number = certificate.serial_number
        if find_certificate(session=session, issuer=spec.issuer, serial_number=serial_number):
            continue
        record_certificate(
            session=session, certificate=certificate, issuer=spec.issuer, profile=spec.profile
        )
        added += 1
    return added


def find_certificate(
    *, session: Session, issuer: str, serial_number: int
) -> KeysCertificate | None:
    """The register entry for ``issuer`` and ``serial_number``, or None."""
    return session.scalars(
        select(KeysCertificate).where(
            KeysCertificate.issuer == issuer,
            KeysCertificate.serial == serial_hex(serial_number),
        )
    ).one_or_none()


def get_certificate(*, session: Session, issuer: str, serial_number: int) -> KeysCertificate:
    """The register entry for ``issuer`` and ``serial_number``; raises if there is none."""
    record = find_certificate(session=session, issuer=issuer, serial_number=serial_number)
    if record is None:
        raise CertificateNotFoundError(
            f"{issuer} issued no certificate with serial number {serial_hex(serial_number)}"
        )
    return record


def revoke_certificate(
    *,
    session: Session,
    issuer: str,
    serial_number: int,
    reason: x509.ReasonFlags = x509.ReasonFlags.unspecified,
    clock: Clock = utc_now,
) -> KeysCertificate:
    """Mark a certificate revoked from now on; it appears in the issuer's next CRL."""
    if reason in (x509.ReasonFlags.remove_from_crl, x509.ReasonFlags.aa_compromise):
        raise InvalidCertificateRequestError(f"revocation reason {reason.value} is not used here")
    record = get_certificate(session=session, issuer=issuer, serial_number=serial_number)
    if record.status == REVOKED:
        raise CertificateAlreadyRevokedError(
            f"certificate {record.serial} of {issuer} is already revoked"
        )
    record.status = REVOKED
    record.revoked_at = clock().replace(microsecond=0)
    record.reason = reason.value
    session.flush()
    return record


def revoked_certificates(*, session: Session, issuer: str) -> list[KeysCertificate]:
    """Every revoked certificate of ``issuer``, oldest revocation first."""
    return list(
        session.scalars(
            select(KeysCertificate)
            .where(KeysCertificate.issuer == issuer, KeysCertificate.status == REVOKED)
            .order_by(KeysCertificate.revoked_at, KeysCertificate.id)
        )
    )
