"""The OCSP responder: signed answers about one CA's certificates (RFC 6960 sections 2.2, 4.2).

Each issuing CA has a delegated responder (``<ca>-ocsp``, RFC 6960 section 4.2.2.2) whose
certificate is issued by that CA with the OCSPSigning purpose; it signs every answer.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509 import ocsp
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from keys.certificates import Clock, utc_now
from keys.errors import CertificateNotFoundError
from keys.layout import ocsp_responder_name
from keys.models import REVOKED
from keys.ocsp.errors import MalformedOcspRequestError
from keys.ocsp.request import OcspQuery, asks_about, parse_request
from keys.pki import Pki
from keys.registry import as_utc, get_certificate

log = logging.getLogger("onedoor.keys.ocsp")

# Same freshness as the CRL: a revocation reaches caches within the hour.
OCSP_VALIDITY = timedelta(hours=1)


@dataclass(frozen=True)
class CertificateStatus:
    """certStatus of one certificate (RFC 6960 section 4.2.1)."""

    status: ocsp.OCSPCertStatus
    revoked_at: datetime | None = None
    reason: x509.ReasonFlags | None = None


def certificate_status(*, session: Session, ca: str, serial_number: int) -> CertificateStatus:
    """good, revoked (time and reason) or unknown (``ca`` never issued that serial number)."""
    try:
        record = get_certificate(session=session, issuer=ca, serial_number=serial_number)
    except CertificateNotFoundError:
        return CertificateStatus(ocsp.OCSPCertStatus.UNKNOWN)
    if record.status != REVOKED:
        return CertificateStatus(ocsp.OCSPCertStatus.GOOD)
    reason = x509.ReasonFlags(record.reason or x509.ReasonFlags.unspecified.value)
    return CertificateStatus(
        ocsp.OCSPCertStatus.REVOKED,
        revoked_at=as_utc(record.revoked_at) if record.revoked_at else None,
        # As in the CRL (RFC 5280 section 5.3.1), "unspecified" is left out.
        reason=None if reason is x509.ReasonFlags.unspecified else reason,
    )


def respond(
    *, session: Session, pki: Pki, ca: str, request_der: bytes, clock: Clock = utc_now
) -> bytes:
    """A DER OCSPResponse to ``request_der``, signed by ``ca``'s delegated responder.

    Raises UnknownCaError for a name that is not an issuing CA (an HTTP-level 404); every
    protocol-level failure is an unsuccessful OCSPResponse (malformedRequest, unauthorized,
    internalError), never an exception.
    """
    pki.ocsp_responder(ca)
    try:
        query = parse_request(request_der)
    except MalformedOcspRequestError:
        return unsuccessful(ocsp.OCSPResponseStatus.MALFORMED_REQUEST)
    issuer = pki.ca_certificate(ca)
    if not asks_about(query, issuer):
        # Another CA's certificate: this responder cannot answer for it authoritatively.
        return unsuccessful(ocsp.OCSPResponseStatus.UNAUTHORIZED)
    try:
        status = certificate_status(session=session, ca=ca, serial_number=query.serial_number)
    except SQLAlchemyError as exc:
        log.error("OCSP status lookup failed", extra={"error_code": type(exc).__name__})
        return unsuccessful(ocsp.OCSPResponseStatus.INTERNAL_ERROR)
    return _signed(pki=pki, ca=ca, query=query, status=status, now=clock())


def unsuccessful(status: ocsp.OCSPResponseStatus) -> bytes:
    """An OCSPResponse without responseBytes (RFC 6960 section 4.2.1)."""
    response = ocsp.OCSPResponseBuilder.build_unsuccessful(status)
    return response.public_bytes(serialization.Encoding.DER)


def _signed(
    *, pki: Pki, ca: str, query: OcspQuery, status: CertificateStatus, now: datetime
) -> bytes:
    this_update = now.replace(microsecond=0)
    responder = pki.ocsp_responder(ca)
    builder = (
        ocsp.OCSPResponseBuilder()
        .add_response_by_hash(
            issuer_name_hash=query.issuer_name_hash,
            issuer_key_hash=query.issuer_key_hash,
            serial_number=query.serial_number,
            algorithm=query.algorithm,
            cert_status=status.status,
            this_update=this_update,
            next_update=this_update + OCSP_VALIDITY,
            revocation_time=status.revoked_at,
            revocation_reason=status.reason,
        )
        .responder_id(ocsp.OCSPResponderEncoding.HASH, responder)
        # The responder and the CA above it, so a client holding only the root can verify.
        .certificates([responder, pki.ca_certificate(ca)])
    )
    if query.nonce is not None:
        builder = builder.add_extension(x509.OCSPNonce(query.nonce), critical=False)
    key = pki.custody.private_key(ocsp_responder_name(ca))
    response = builder.sign(key, hashes.SHA256())
    return response.public_bytes(serialization.Encoding.DER)
