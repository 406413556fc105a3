"""Algorithm identifiers the service accepts (CSC API v2 sections 11.6 and 11.9)."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence

from idp.signing.context import MAX_SIGNATURES
from idp.signing.errors import InvalidHashError, UnsupportedAlgorithmError

SHA256_OID = "2.16.840.1.101.3.4.2.1"
ECDSA_SHA256_OID = "1.2.840.10045.4.3.2"  # RFC 5758 section 3.2
EC_PUBLIC_KEY_OID = "1.2.840.10045.2.1"  # RFC 5480; with hashAlgorithmOID it means the same
P256_OID = "1.2.840.10045.3.1.7"
SIGN_ALGORITHMS = (ECDSA_SHA256_OID, EC_PUBLIC_KEY_OID)
_DIGEST_BYTES = 32


def check_hash_algorithm(oid: str | None) -> str:
    """The hash algorithm OID if it is SHA-256 (the only one the service signs)."""
    if oid != SHA256_OID:
        raise UnsupportedAlgorithmError("hashAlgorithmOID must be SHA-256 (2.16.840.1.101.3.4.2.1)")
    return oid


def check_sign_algorithm(oid: str) -> None:
    if oid not in SIGN_ALGORITHMS:
        raise UnsupportedAlgorithmError("signAlgo must be ecdsa-with-SHA256 (1.2.840.10045.4.3.2)")


def decode_hashes(values: Sequence[str]) -> list[bytes]:
    """Base64 SHA-256 digests: 1 to MAX_SIGNATURES, distinct; raises InvalidHashError."""
    if not values or len(values) > MAX_SIGNATURES:
        raise InvalidHashError(f"send 1 to {MAX_SIGNATURES} hashes")
    decoded: list[bytes] = []
    for value in values:
        try:
            raw = base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            raise InvalidHashError("hashes must be base64") from None
        if len(raw) != _DIGEST_BYTES:
            raise InvalidHashError("every hash must be a SHA-256 digest (32 bytes)")
        decoded.append(raw)
    if len(set(decoded)) != len(decoded):
        raise InvalidHashError("hashes must be distinct")
    return decoded


def encode_hash(raw: bytes) -> str:
    """The canonical form a hash is stored in (standard base64 with padding)."""
    return base64.b64encode(raw).decode("ascii")
