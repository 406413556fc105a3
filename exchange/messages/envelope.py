"""Sign-then-encrypt envelope: a JWS (RFC 7515, ES256) over the header and a JWE body.

Wire form: one JWS Compact Serialization whose payload is the canonical JSON
``{"hdr": <MessageHeader>, "body": <JWE compact or null>}``. The body is a JWE (RFC 7516)
with ECDH-ES key agreement and A256GCM (RFC 7518 sections 4.6 and 5.3) to the recipient's
encryption key from the directory; its protected header (authenticated as AAD) repeats the
message id and sender, so a body cannot be lifted into another sender's message.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from joserfc import jwe, jws
from joserfc.errors import JoseError
from joserfc.jwe import JWERegistry
from joserfc.jwk import ECKey
from joserfc.jws import JWSRegistry
from joserfc.registry import HeaderParameter

from exchange.messages.header import MessageHeader, canonical_json
from exchange.xroad.errors import (
    DecryptionFailedError,
    InvalidMessageError,
    InvalidSignatureError,
)

MEDIA_TYPE = "application/vnd.onedoor.message+jose"
_JWS_TYPE = "onedoor-message+jws"
_JWS = JWSRegistry(algorithms=["ES256"])
_JWE = JWERegistry(
    algorithms=["ECDH-ES", "A256GCM"],
    header_registry={
        "mid": HeaderParameter("OneDoor message id", "str", required=True),
        "snd": HeaderParameter("OneDoor sender member", "str", required=True),
    },
)


@dataclass(frozen=True)
class OpenedMessage:
    """A verified and decrypted message, with the exact wire text it arrived as."""

    header: MessageHeader
    body: bytes
    wire: str


def certificate_thumbprint(certificate: x509.Certificate) -> str:
    """``x5t#S256`` of a certificate (RFC 7515 section 4.1.8)."""
    return _b64url(certificate.fingerprint(hashes.SHA256()))


def request_hash(wire: str) -> str:
    """``X-Road-Request-Hash``: base64 SHA-512 of the request message as sent."""
    return base64.b64encode(hashlib.sha512(wire.encode()).digest()).decode()


def seal(
    *,
    header: MessageHeader,
    body: bytes,
    signing_key: ec.EllipticCurvePrivateKey,
    signing_certificate: x509.Certificate,
    recipient_key: ec.EllipticCurvePublicKey,
) -> str:
    """Encrypt ``body`` for the recipient, then sign header and ciphertext as the sender."""
    encrypted = None
    if body:
        protected = {
            "alg": "ECDH-ES",
            "enc": "A256GCM",
            "mid": header.message_id,
            "snd": str(header.sender),
        }
        encrypted = jwe.encrypt_compact(
            protected, body, ECKey.import_key(recipient_key), registry=_JWE
        )
    payload = canonical_json({"hdr": header.to_json(), "body": encrypted})
    jws_header = {
        "alg": "ES256",
        "typ": _JWS_TYPE,
        "x5t#S256": certificate_thumbprint(signing_certificate),
    }
    return jws.serialize_compact(jws_header, payload, ECKey.import_key(signing_key), registry=_JWS)


def peek_header(wire: str) -> MessageHeader:
    """The header WITHOUT verifying: only to find whose certificate verifies the message."""
    return MessageHeader.from_json(_unverified_payload(wire)["hdr"])


def peek_thumbprint(wire: str) -> str:
    """The ``x5t#S256`` the sender named, unverified."""
    try:
        value = json.loads(_b64url_decode(wire.split(".")[0]))["x5t#S256"]
    except (ValueError, KeyError, TypeError, IndexError) as exc:
        raise InvalidMessageError("message is not a signed envelope") from exc
    if not isinstance(value, str):
        raise InvalidMessageError("message is not a signed envelope")
    return value


def verify_signature(wire: str, *, signing_certificate: x509.Certificate) -> MessageHeader:
    """Verify the sender's signature; raises InvalidSignatureError."""
    public_key = signing_certificate.public_key()
    if not isinstance(public_key, ec.EllipticCurvePublicKey):
        raise InvalidSignatureError("signing certificate does not hold an EC key")
    try:
        verified = jws.deserialize_compact(wire, ECKey.import_key(public_key), registry=_JWS)
    except (JoseError, ValueError) as exc:
        raise InvalidSignatureError("message signature does not verify") from exc
    if verified.protected.get("typ") != _JWS_TYPE:
        raise InvalidSignatureError("signed object is not a OneDoor message")
    return MessageHeader.from_json(_parse_payload(verified.payload)["hdr"])


def open_sealed(
    wire: str,
    *,
    signing_certificate: x509.Certificate,
    decryption_key: ec.EllipticCurvePrivateKey,
) -> OpenedMessage:
    """Verify the signature, then decrypt the body; raises on any failure, never returns half."""
    header = verify_signature(wire, signing_certificate=signing_certificate)
    encrypted = _unverified_payload(wire)["body"]
    if encrypted is None:
        return OpenedMessage(header=header, body=b"", wire=wire)
    if not isinstance(encrypted, str):
        raise InvalidMessageError("message body is malformed")
    try:
        opened = jwe.decrypt_compact(encrypted, ECKey.import_key(decryption_key), registry=_JWE)
    except (JoseError, ValueError) as exc:
        raise DecryptionFailedError() from exc
    if opened.protected.get("mid") != header.message_id or opened.protected.get("snd") != str(
        header.sender
    ):
        raise DecryptionFailedError("message body belongs to another message")
    return OpenedMessage(header=header, body=opened.plaintext or b"", wire=wire)


def _unverified_payload(wire: str) -> dict[str, Any]:
    parts = wire.split(".")
    if len(parts) != 3:
        raise InvalidMessageError("message is not a signed envelope")
    return _parse_payload(_b64url_decode(parts[1]))


def _parse_payload(raw: bytes) -> dict[str, Any]:
    try:
        payload = json.loads(raw)
    except ValueError as exc:
        raise InvalidMessageError("message payload is not JSON") from exc
    if not isinstance(payload, dict) or "hdr" not in payload or "body" not in payload:
        raise InvalidMessageError("message payload is malformed")
    return payload


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _b64url_decode(text: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as exc:
        raise InvalidMessageError("message is not a signed envelope") from exc
