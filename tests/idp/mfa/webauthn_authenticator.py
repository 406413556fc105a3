"""A software WebAuthn authenticator and client, built from the W3C Level 2 byte layouts.

It plays both the browser (clientDataJSON, section 5.8.1) and the authenticator
(authenticatorData, section 6.1; attested credential data, 6.5.1; "none" attestation, 8.7;
assertion signatures over authenticatorData || SHA-256(clientDataJSON), 6.3.3), so tests can
also play an attacker: wrong origin or RP id, another key, a rewound counter, no user presence.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from dataclasses import dataclass, field
from typing import Any

import cbor2
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

UP, UV, BE, BS, AT = 0x01, 0x04, 0x08, 0x10, 0x40
TEST_AAGUID = bytes.fromhex("6f6e65646f6f722d746573742d6b6579")  # "onedoor-test-key"

PrivateKey = ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def cose_key(key: PrivateKey) -> bytes:
    """The credential public key as a COSE_Key (RFC 8152 section 13; ES256 or RS256)."""
    if isinstance(key, ec.EllipticCurvePrivateKey):
        numbers = key.public_key().public_numbers()
        return cbor2.dumps({
            1: 2, 3: -7, -1: 1,  # kty EC2, alg ES256, crv P-256
            -2: numbers.x.to_bytes(32, "big"), -3: numbers.y.to_bytes(32, "big"),
        })
    rsa_numbers = key.public_key().public_numbers()
    return cbor2.dumps({
        1: 3, 3: -257,  # kty RSA, alg RS256
        -1: rsa_numbers.n.to_bytes((rsa_numbers.n.bit_length() + 7) // 8, "big"),
        -2: rsa_numbers.e.to_bytes(3, "big"),
    })


def sign(key: PrivateKey, data: bytes) -> bytes:
    if isinstance(key, ec.EllipticCurvePrivateKey):
        return key.sign(data, ec.ECDSA(hashes.SHA256()))  # DER, as section 6.5.6 requires
    return key.sign(data, padding.PKCS1v15(), hashes.SHA256())


@dataclass
class SoftwareAuthenticator:
    """One credential on one authenticator; ``sign_count`` goes up by one per assertion."""

    rp_id: str
    origin: str
    key: PrivateKey = field(default_factory=lambda: ec.generate_private_key(ec.SECP256R1()))
    credential_id: bytes = field(default_factory=lambda: os.urandom(32))
    sign_count: int = 0
    backup_eligible: bool = False
    transports: tuple[str, ...] = ("usb", "nfc")

    def client_data(self, kind: str, options_json: str, origin: str | None) -> bytes:
        challenge = json.loads(options_json)["challenge"]
        return json.dumps({
            "type": kind, "challenge": challenge, "origin": origin or self.origin,
            "crossOrigin": False,
        }).encode()

    def authenticator_data(
        self, *, rp_id: str | None, flags: int, count: int, attested: bytes = b""
    ) -> bytes:
        if self.backup_eligible:
            flags |= BE
        rp_id_hash = hashlib.sha256((rp_id or self.rp_id).encode()).digest()
        return rp_id_hash + bytes([flags]) + count.to_bytes(4, "big") + attested

    def create(
        self, options_json: str, *, origin: str | None = None, rp_id: str | None = None,
        flags: int = UP | UV, client_type: str = "webauthn.create",
    ) -> str:
        """What ``navigator.credentials.create()`` returns, as the JSON a page posts."""
        attested = (
            TEST_AAGUID + len(self.credential_id).to_bytes(2, "big") + self.credential_id
            + cose_key(self.key)
        )
        auth_data = self.authenticator_data(
            rp_id=rp_id, flags=flags | AT, count=self.sign_count, attested=attested
        )
        attestation = cbor2.dumps({"fmt": "none", "attStmt": {}, "authData": auth_data})
        return self._credential({
            "clientDataJSON": b64url(self.client_data(client_type, options_json, origin)),
            "attestationObject": b64url(attestation),
            "transports": list(self.transports),
        })

    def get(
        self, options_json: str, *, origin: str | None = None, rp_id: str | None = None,
        flags: int = UP | UV, count: int | None = None, key: PrivateKey | None = None,
        credential_id: bytes | None = None,
    ) -> str:
        """What ``navigator.credentials.get()`` returns; keywords let a test forge it."""
        if count is None:
            self.sign_count += 1
            count = self.sign_count
        auth_data = self.authenticator_data(rp_id=rp_id, flags=flags, count=count)
        client_data = self.client_data("webauthn.get", options_json, origin)
        signature = sign(key or self.key, auth_data + hashlib.sha256(client_data).digest())
        return self._credential({
            "clientDataJSON": b64url(client_data),
            "authenticatorData": b64url(auth_data),
            "signature": b64url(signature),
        }, credential_id=credential_id)

    def _credential(self, response: dict[str, Any], *, credential_id: bytes | None = None) -> str:
        raw_id = b64url(credential_id or self.credential_id)
        return json.dumps({
            "id": raw_id, "rawId": raw_id, "type": "public-key", "response": response,
            "authenticatorAttachment": "cross-platform", "clientExtensionResults": {},
        })
