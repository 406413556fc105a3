"""Parse one OCSP request and the CertID it asks about (RFC 6960 section 4.1)."""

from __future__ import annotations

from dataclasses import dataclass

from asn1crypto.keys import PublicKeyInfo
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509 import ocsp

from keys.ocsp.errors import MalformedOcspRequestError

# Requests are a few hundred bytes; anything far larger is not an OCSP request.
MAX_REQUEST_BYTES = 16 * 1024
# RFC 9654 section 2.1 (which obsoletes RFC 8954): a nonce of 1 to 128 octets.
MAX_NONCE_BYTES = 128
_CERT_ID_HASHES = (hashes.SHA1, hashes.SHA256, hashes.SHA384, hashes.SHA512)


@dataclass(frozen=True)
class OcspQuery:
    """What a client asked: one certificate (by CertID) and an optional nonce."""

    issuer_name_hash: bytes
    issuer_key_hash: bytes
    serial_number: int
    algorithm: hashes.HashAlgorithm
    nonce: bytes | None


def parse_request(der: bytes) -> OcspQuery:
    """The single request of an OCSPRequest; raises MalformedOcspRequestError otherwise."""
    if not der or len(der) > MAX_REQUEST_BYTES:
        raise MalformedOcspRequestError("empty or oversized OCSP request")
    try:
        # cryptography accepts exactly one Request per OCSPRequest; more is refused here too.
        request = ocsp.load_der_ocsp_request(der)
        algorithm = request.hash_algorithm
        extensions = list(request.extensions)
    except (ValueError, TypeError) as exc:
        raise MalformedOcspRequestError("not a single-certificate OCSP request") from exc
    except x509.UnsupportedGeneralNameType as exc:
        raise MalformedOcspRequestError("unsupported requestor name") from exc
    if not isinstance(algorithm, _CERT_ID_HASHES):
        raise MalformedOcspRequestError("unsupported CertID hash algorithm")
    nonce: bytes | None = None
    for extension in extensions:
        if isinstance(extension.value, x509.OCSPNonce):
            nonce = extension.value.nonce
        elif extension.critical:
            raise MalformedOcspRequestError("unsupported critical request extension")
    if nonce is not None and not 1 <= len(nonce) <= MAX_NONCE_BYTES:
        raise MalformedOcspRequestError("nonce must have 1 to 128 octets")
    return OcspQuery(
        issuer_name_hash=request.issuer_name_hash,
        issuer_key_hash=request.issuer_key_hash,
        serial_number=request.serial_number,
        algorithm=algorithm,
        nonce=nonce,
    )


def issuer_hashes(issuer: x509.Certificate, algorithm: hashes.HashAlgorithm) -> tuple[bytes, bytes]:
    """issuerNameHash and issuerKeyHash of a CA (RFC 6960 section 4.1.1)."""
    name_hash = hashes.Hash(algorithm)
    name_hash.update(issuer.subject.public_bytes())
    spki = issuer.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    # The hash covers the BIT STRING's value without its unused-bits octet.
    key_bits: bytes = PublicKeyInfo.load(spki)["public_key"].contents[1:]
    key_hash = hashes.Hash(algorithm)
    key_hash.update(key_bits)
    return name_hash.finalize(), key_hash.finalize()


def asks_about(query: OcspQuery, issuer: x509.Certificate) -> bool:
    """Whether the query's CertID names ``issuer`` as the certificate's issuer."""
    return issuer_hashes(issuer, query.algorithm) == (
        query.issuer_name_hash,
        query.issuer_key_hash,
    )
