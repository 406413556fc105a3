"""Ask an OCSP responder about one certificate and check its answer (RFC 6960 sections 3.2, 4).

The answer is accepted only when signed by the certificate's issuer or by a delegated
responder that the issuer certified for OCSPSigning with id-pkix-ocsp-nocheck (RFC 6960
section 4.2.2.2), when it answers for exactly this certificate and echoes our nonce
(RFC 9654), and when ``thisUpdate`` / ``nextUpdate`` make it fresh at ``now``.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

import httpx
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509 import ocsp
from cryptography.x509.oid import AuthorityInformationAccessOID, ExtendedKeyUsageOID

from exchange.gateway.errors import CertificateStatusUnavailableError, InvalidOcspResponseError

OCSP_REQUEST = "application/ocsp-request"
OCSP_RESPONSE = "application/ocsp-response"
MAX_RESPONSE_BYTES = 64 * 1024
# Responders and gateways run on different machines: tolerate clocks this far apart.
CLOCK_SKEW = timedelta(minutes=5)


class OcspTransport(Protocol):
    """Carries a DER OCSPRequest to the responder at ``url`` and returns its DER response."""

    def fetch(self, url: str, request: bytes) -> bytes:
        """The response; raises CertificateStatusUnavailableError if it cannot be reached."""
        ...


@dataclass(frozen=True)
class HttpOcspTransport:
    """RFC 6960 appendix A.1 over HTTP POST; ``transport`` lets tests plug in httpx mocks."""

    timeout: float = 5.0
    transport: httpx.BaseTransport | None = None

    def fetch(self, url: str, request: bytes) -> bytes:
        headers = {"Content-Type": OCSP_REQUEST, "Accept": OCSP_RESPONSE}
        try:
            with httpx.Client(
                timeout=self.timeout, transport=self.transport, trust_env=False
            ) as client:
                response = client.post(url, content=request, headers=headers)
        except httpx.HTTPError as exc:
            raise CertificateStatusUnavailableError(
                f"OCSP responder unreachable ({type(exc).__name__})"
            ) from exc
        media_type = response.headers.get("content-type", "").split(";")[0].strip()
        if response.status_code != 200 or media_type != OCSP_RESPONSE:
            raise CertificateStatusUnavailableError(
                f"OCSP responder answered HTTP {response.status_code} ({media_type or '-'})"
            )
        if len(response.content) > MAX_RESPONSE_BYTES:
            raise CertificateStatusUnavailableError("OCSP responder sent an oversized answer")
        return response.content


@dataclass(frozen=True)
class OcspAnswer:
    """A verified answer about one certificate."""

    status: ocsp.OCSPCertStatus
    this_update: datetime
    next_update: datetime | None
    revoked_at: datetime | None


def responder_url(certificate: x509.Certificate) -> str:
    """The OCSP URL of the certificate's AIA (RFC 5280 section 4.2.2.1)."""
    try:
        access = certificate.extensions.get_extension_for_class(x509.AuthorityInformationAccess)
    except x509.ExtensionNotFound:
        access = None
    for description in access.value if access is not None else []:
        location = description.access_location
        if description.access_method == AuthorityInformationAccessOID.OCSP and isinstance(
            location, x509.UniformResourceIdentifier
        ):
            return location.value
    raise CertificateStatusUnavailableError("the certificate names no OCSP responder")


def build_request(
    certificate: x509.Certificate, issuer: x509.Certificate, *, nonce: bytes
) -> bytes:
    """A DER OCSPRequest for one certificate with a nonce (RFC 6960 section 4.1, RFC 9654)."""
    request = (
        ocsp.OCSPRequestBuilder()
        .add_certificate(certificate, issuer, hashes.SHA256())
        .add_extension(x509.OCSPNonce(nonce), critical=False)
        .build()
    )
    return request.public_bytes(serialization.Encoding.DER)


def check_response(
    der: bytes,
    *,
    certificate: x509.Certificate,
    issuer: x509.Certificate,
    nonce: bytes,
    now: datetime,
    max_age: timedelta,
) -> OcspAnswer:
    """The verified answer in ``der``; raises InvalidOcspResponseError, or
    CertificateStatusUnavailableError when the responder could not answer (tryLater...)."""
    try:
        response = ocsp.load_der_ocsp_response(der)
    except ValueError as exc:
        raise InvalidOcspResponseError("not an OCSP response") from exc
    if response.response_status != ocsp.OCSPResponseStatus.SUCCESSFUL:
        raise CertificateStatusUnavailableError(
            f"OCSP responder could not answer ({response.response_status.name.lower()})"
        )
    _check_signature(response, issuer, now)
    _check_nonce(response, nonce)
    single = _single_for(response, certificate, issuer)
    this_update, next_update = single.this_update_utc, single.next_update_utc
    if this_update > now + CLOCK_SKEW or now - this_update > max_age + CLOCK_SKEW:
        raise InvalidOcspResponseError("OCSP response is not fresh (thisUpdate)")
    if next_update is not None and now > next_update:
        raise InvalidOcspResponseError("OCSP response is outdated (nextUpdate has passed)")
    return OcspAnswer(
        status=single.certificate_status, this_update=this_update, next_update=next_update,
        revoked_at=single.revocation_time_utc,
    )


def _single_for(
    response: ocsp.OCSPResponse, certificate: x509.Certificate, issuer: x509.Certificate
) -> ocsp.OCSPSingleResponse:
    """The SingleResponse whose CertID names ``certificate`` issued by ``issuer``."""
    for single in response.responses:
        expected = (
            ocsp.OCSPRequestBuilder()
            .add_certificate(certificate, issuer, single.hash_algorithm)
            .build()
        )
        if (
            single.serial_number == certificate.serial_number
            and hmac.compare_digest(single.issuer_key_hash, expected.issuer_key_hash)
            and hmac.compare_digest(single.issuer_name_hash, expected.issuer_name_hash)
        ):
            return single
    raise InvalidOcspResponseError("OCSP response does not answer for this certificate")


def _check_nonce(response: ocsp.OCSPResponse, nonce: bytes) -> None:
    try:
        echoed = response.extensions.get_extension_for_class(x509.OCSPNonce).value.nonce
    except x509.ExtensionNotFound:
        raise InvalidOcspResponseError("OCSP response does not echo the nonce") from None
    if not hmac.compare_digest(echoed, nonce):
        raise InvalidOcspResponseError("OCSP response answers another request (nonce)")


def _check_signature(
    response: ocsp.OCSPResponse, issuer: x509.Certificate, now: datetime
) -> None:
    signer = _signer(response, issuer, now)
    key = signer.public_key()
    algorithm = response.signature_hash_algorithm
    try:
        if isinstance(key, ec.EllipticCurvePublicKey) and algorithm is not None:
            key.verify(response.signature, response.tbs_response_bytes, ec.ECDSA(algorithm))
        elif isinstance(key, rsa.RSAPublicKey) and algorithm is not None:
            key.verify(
                response.signature, response.tbs_response_bytes, padding.PKCS1v15(), algorithm
            )
        else:
            raise InvalidOcspResponseError("unsupported OCSP signature algorithm")
    except InvalidSignature:
        raise InvalidOcspResponseError("OCSP response signature does not verify") from None


def _signer(
    response: ocsp.OCSPResponse, issuer: x509.Certificate, now: datetime
) -> x509.Certificate:
    """The issuer itself, or a delegated responder it certified (RFC 6960 4.2.2.2)."""
    if _names(response, issuer):
        return issuer
    for candidate in response.certificates:
        if not _names(response, candidate):
            continue
        try:
            candidate.verify_directly_issued_by(issuer)
            eku = candidate.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
            candidate.extensions.get_extension_for_class(x509.OCSPNoCheck)
        except (ValueError, TypeError, InvalidSignature, x509.ExtensionNotFound):
            continue
        if ExtendedKeyUsageOID.OCSP_SIGNING not in eku:
            continue
        if candidate.not_valid_before_utc <= now <= candidate.not_valid_after_utc:
            return candidate
    raise InvalidOcspResponseError("OCSP response is not signed by an authorised responder")


def _names(response: ocsp.OCSPResponse, certificate: x509.Certificate) -> bool:
    """Whether the ResponderID names ``certificate`` (by key hash or by name)."""
    if response.responder_key_hash is not None:
        digest = x509.SubjectKeyIdentifier.from_public_key(certificate.public_key()).digest
        return hmac.compare_digest(response.responder_key_hash, digest)
    return response.responder_name == certificate.subject
