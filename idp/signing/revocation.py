"""Revocation data a long-term signature embeds: OCSP for end entities, CRLs for CAs.

A ``RevocationSource`` answers for one certificate and its issuer: over HTTP at the URLs the
certificate names (RFC 5280 4.2.2.1 AIA, 4.2.1.13 CRL distribution points) with one reused
connection pool, or in-process from OneDoor's own PKI when the signing service runs in the same
deployment (no HTTP at all). ``collect_revocation`` gathers what a chain needs, each CRL once,
and refuses a certificate that is revoked or that nobody vouches for (hard fail).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Protocol

import httpx
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509 import ocsp
from cryptography.x509.oid import AuthorityInformationAccessOID
from sqlalchemy.orm import Session, sessionmaker

from idp.signing.errors import SignatureCreationError
from keys.crl import current_crl_der
from keys.layout import ISSUING_CAS, ROOT_CA
from keys.ocsp.responder import respond
from keys.pki import Pki

_MAX_BYTES = 1024 * 1024


class RevocationSource(Protocol):
    """Fresh DER revocation data about ``certificate``, issued by ``issuer``."""

    def ocsp(self, certificate: x509.Certificate, issuer: x509.Certificate) -> bytes:
        """A DER OCSPResponse (RFC 6960 section 4.2.1)."""
        ...

    def crl(self, certificate: x509.Certificate, issuer: x509.Certificate) -> bytes:
        """The issuer's current DER CRL (RFC 5280 section 5)."""
        ...


def ocsp_request(certificate: x509.Certificate, issuer: x509.Certificate) -> bytes:
    """A DER OCSPRequest for one certificate, CertID with SHA-256 (RFC 6960 section 4.1.1)."""
    builder = ocsp.OCSPRequestBuilder().add_certificate(certificate, issuer, hashes.SHA256())
    return builder.build().public_bytes(serialization.Encoding.DER)


def _uri(certificate: x509.Certificate, kind: str) -> str | None:
    try:
        if kind == "ocsp":
            aia = certificate.extensions.get_extension_for_class(x509.AuthorityInformationAccess)
            for access in aia.value:
                if access.access_method == AuthorityInformationAccessOID.OCSP:
                    return str(access.access_location.value)
            return None
        points = certificate.extensions.get_extension_for_class(x509.CRLDistributionPoints)
    except x509.ExtensionNotFound:
        return None
    for point in points.value:
        for name in point.full_name or ():
            if isinstance(name, x509.UniformResourceIdentifier):
                return str(name.value)
    return None


@dataclass
class HttpRevocationSource:
    """OCSP (POST) and CRLs over one keep-alive ``httpx.Client``; close() when done."""

    client: httpx.Client = field(default_factory=lambda: httpx.Client(timeout=10.0))

    def ocsp(self, certificate: x509.Certificate, issuer: x509.Certificate) -> bytes:
        url = _uri(certificate, "ocsp")
        if url is None:
            raise SignatureCreationError("the certificate names no OCSP responder")
        return self._fetch("POST", url, ocsp_request(certificate, issuer))

    def crl(self, certificate: x509.Certificate, issuer: x509.Certificate) -> bytes:
        url = _uri(certificate, "crl")
        if url is None:
            raise SignatureCreationError("the certificate names no CRL distribution point")
        return self._fetch("GET", url, None)

    def _fetch(self, method: str, url: str, body: bytes | None) -> bytes:
        headers = {"Content-Type": "application/ocsp-request"} if body is not None else {}
        try:
            response = self.client.request(method, url, content=body, headers=headers)
        except httpx.HTTPError as exc:
            raise SignatureCreationError(
                f"revocation service unreachable: {type(exc).__name__}"
            ) from exc
        if response.status_code != 200 or len(response.content) > _MAX_BYTES:
            raise SignatureCreationError(f"revocation service answered {response.status_code}")
        return response.content

    def close(self) -> None:
        self.client.close()


@dataclass(frozen=True)
class LocalRevocationSource:
    """Answers from this deployment's PKI in-process (keys.ocsp.responder, keys.crl)."""

    sessions: sessionmaker[Session]
    pki: Pki
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))

    def _ca(self, issuer: x509.Certificate) -> str:
        for name in (*ISSUING_CAS, ROOT_CA):
            if self.pki.certificates[name] == issuer:
                return name
        raise SignatureCreationError("the certificate was not issued by this PKI")

    def ocsp(self, certificate: x509.Certificate, issuer: x509.Certificate) -> bytes:
        with self.sessions() as session:
            return respond(session=session, pki=self.pki, ca=self._ca(issuer),
                           request_der=ocsp_request(certificate, issuer), clock=self.clock)

    def crl(self, certificate: x509.Certificate, issuer: x509.Certificate) -> bytes:
        with self.sessions() as session:
            return current_crl_der(session=session, pki=self.pki, ca=self._ca(issuer),
                                   clock=self.clock)


@dataclass(frozen=True)
class RevocationData:
    """What was gathered: DER OCSP responses, DER CRLs."""

    ocsps: tuple[bytes, ...] = ()
    crls: tuple[bytes, ...] = ()


def _issuer_of(certificate: x509.Certificate, pool: Sequence[x509.Certificate]) -> x509.Certificate:
    for candidate in pool:
        if candidate.subject == certificate.issuer:
            try:
                certificate.verify_directly_issued_by(candidate)
            except (ValueError, TypeError, InvalidSignature):
                continue
            return candidate
    raise SignatureCreationError("the certificate chain is incomplete")


def _check_ocsp(der: bytes, certificate: x509.Certificate) -> None:
    try:
        answer = ocsp.load_der_ocsp_response(der)
        successful = answer.response_status is ocsp.OCSPResponseStatus.SUCCESSFUL
        status = answer.certificate_status if successful else None
        serial = answer.serial_number if successful else None
    except ValueError as exc:
        raise SignatureCreationError("the OCSP responder sent no OCSP response") from exc
    if status is None or serial != certificate.serial_number:
        raise SignatureCreationError("the OCSP responder gave no status for the certificate")
    if status is not ocsp.OCSPCertStatus.GOOD:
        raise SignatureCreationError(f"the certificate is {status.name.lower()} (OCSP)")


def collect_revocation(
    chains: Iterable[Sequence[x509.Certificate]], *, source: RevocationSource
) -> RevocationData:
    """OCSP for each certificate with an OCSP responder, else its issuer's CRL, for every chain.

    A chain is leaf first, root last. Each certificate and each CRL is asked about once.
    Raises SignatureCreationError if anything is revoked, unknown or unreachable.
    """
    ocsps: list[bytes] = []
    crls: dict[bytes, bytes] = {}
    seen: set[bytes] = set()
    for chain in chains:
        for certificate in chain:
            fingerprint = certificate.fingerprint(hashes.SHA256())
            if certificate.issuer == certificate.subject or fingerprint in seen:
                continue
            seen.add(fingerprint)
            issuer = _issuer_of(certificate, chain)
            if _uri(certificate, "ocsp") is not None:
                der = source.ocsp(certificate, issuer)
                _check_ocsp(der, certificate)
                ocsps.append(der)
                continue
            key = issuer.fingerprint(hashes.SHA256())
            if key not in crls:
                crls[key] = source.crl(certificate, issuer)
            _check_crl(crls[key], certificate, issuer)
    return RevocationData(tuple(ocsps), tuple(crls.values()))


def _check_crl(der: bytes, certificate: x509.Certificate, issuer: x509.Certificate) -> None:
    try:
        crl = x509.load_der_x509_crl(der)
        genuine = crl.is_signature_valid(issuer.public_key())  # type: ignore[arg-type]
    except (ValueError, TypeError) as exc:
        raise SignatureCreationError("the CRL cannot be read") from exc
    if not genuine:
        raise SignatureCreationError("the CRL is not signed by the certificate's issuer")
    if crl.get_revoked_certificate_by_serial_number(certificate.serial_number) is not None:
        raise SignatureCreationError("a certificate of the chain is revoked (CRL)")
