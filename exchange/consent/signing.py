"""Detached JWS with ES256 over a consent artefact (RFC 7515 section 7.1, appendix F).

The only module of the consent service that touches signature primitives. Key custody is an
interface: :class:`ConsentSigner` signs, :class:`ConsentVerifier` finds trusted public keys by
``kid`` (old keys stay trusted after rotation so old artefacts still verify).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
from collections.abc import Iterable
from typing import Any, Protocol

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)

from exchange.consent.errors import ConsentSignatureInvalidError

JWS_TYPE = "onedoor-consent+jws"
_B64URL = re.compile(r"\A[A-Za-z0-9_-]*\Z")
_COORDINATE = 32  # P-256


class ConsentSigner(Protocol):
    """Holds the consent service's signing key; callers never see the private key."""

    @property
    def key_id(self) -> str: ...

    def sign(self, data: bytes) -> bytes:
        """ECDSA P-256 / SHA-256 signature of ``data``, DER encoded."""
        ...


class ConsentVerifier(Protocol):
    def public_key(self, key_id: str) -> ec.EllipticCurvePublicKey | None:
        """The trusted key named ``key_id``, or None if it is not trusted."""
        ...


class ConsentKeys(ConsentSigner, ConsentVerifier, Protocol):
    """Signs new artefact versions and verifies stored ones."""


class LocalConsentKeys:
    """An in-memory P-256 key (from the state dir's custody), plus retired public keys."""

    def __init__(
        self,
        private_key: ec.EllipticCurvePrivateKey,
        *,
        retired: Iterable[ec.EllipticCurvePublicKey] = (),
    ) -> None:
        if not isinstance(private_key.curve, ec.SECP256R1):
            raise ValueError("ES256 needs a P-256 key")
        self._private_key = private_key
        current = private_key.public_key()
        self._trusted = {jwk_thumbprint(key): key for key in (*retired, current)}
        self._key_id = jwk_thumbprint(current)

    def __repr__(self) -> str:
        return f"LocalConsentKeys(key_id={self._key_id!r})"

    @property
    def key_id(self) -> str:
        return self._key_id

    def sign(self, data: bytes) -> bytes:
        return self._private_key.sign(data, ec.ECDSA(hashes.SHA256()))

    def public_key(self, key_id: str) -> ec.EllipticCurvePublicKey | None:
        return self._trusted.get(key_id)

    def jwks(self) -> dict[str, list[dict[str, str]]]:
        """The trusted public keys as a JWK Set (RFC 7517 section 5), for third parties."""
        return {
            "keys": [
                {**public_jwk(key), "kid": kid, "alg": "ES256", "use": "sig"}
                for kid, key in sorted(self._trusted.items())
            ]
        }


def public_jwk(key: ec.EllipticCurvePublicKey) -> dict[str, str]:
    """The required members of an EC public JWK (RFC 7518 section 6.2.1)."""
    numbers = key.public_numbers()
    return {
        "crv": "P-256",
        "kty": "EC",
        "x": b64url(numbers.x.to_bytes(_COORDINATE, "big")),
        "y": b64url(numbers.y.to_bytes(_COORDINATE, "big")),
    }


def jwk_thumbprint(key: ec.EllipticCurvePublicKey) -> str:
    """JWK SHA-256 thumbprint (RFC 7638 section 3)."""
    members = json.dumps(public_jwk(key), sort_keys=True, separators=(",", ":"))
    return b64url(hashlib.sha256(members.encode()).digest())


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64url_decode(text: str) -> bytes:
    if not _B64URL.match(text) or len(text) % 4 == 1:
        raise ValueError("not base64url")
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def sign_detached(payload: bytes, signer: ConsentSigner) -> str:
    """``header..signature``: a compact JWS whose payload travels separately."""
    header = {"alg": "ES256", "kid": signer.key_id, "typ": JWS_TYPE}
    protected = b64url(json.dumps(header, sort_keys=True, separators=(",", ":")).encode())
    der = signer.sign(f"{protected}.{b64url(payload)}".encode("ascii"))
    r, s = decode_dss_signature(der)
    raw = r.to_bytes(_COORDINATE, "big") + s.to_bytes(_COORDINATE, "big")
    return f"{protected}..{b64url(raw)}"


def verify_detached(jws: str, payload: bytes, verifier: ConsentVerifier) -> str:
    """Verify ``jws`` over ``payload`` with a trusted key; returns the key id, else raises."""
    invalid = ConsentSignatureInvalidError()
    try:
        protected, attached, signature = jws.split(".")
        header: Any = json.loads(_b64url_decode(protected))
        raw = _b64url_decode(signature)
    except (ValueError, AttributeError, binascii.Error, UnicodeDecodeError):
        raise invalid from None
    if attached or not isinstance(header, dict) or len(raw) != 2 * _COORDINATE:
        raise invalid
    # Only our exact header: alg pinned (no "none", no HMAC confusion), no crit extensions.
    if set(header) != {"alg", "kid", "typ"} or header["alg"] != "ES256":
        raise invalid
    if header["typ"] != JWS_TYPE or not isinstance(header["kid"], str):
        raise invalid
    key = verifier.public_key(header["kid"])
    if key is None:
        raise invalid
    der = encode_dss_signature(
        int.from_bytes(raw[:_COORDINATE], "big"), int.from_bytes(raw[_COORDINATE:], "big")
    )
    try:
        key.verify(der, f"{protected}.{b64url(payload)}".encode("ascii"), ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        raise invalid from None
    return str(header["kid"])
