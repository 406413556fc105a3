"""Custody of citizens' signing keys: generated inside, used to sign digests, never exported.

``SealedKeyCustody`` keeps each P-256 key as PKCS#8 DER sealed with AES-256-GCM under a key
read from the state directory (``secrets/idp-signing-key``, mode 0600); the sealed blob is the
key reference stored with the credential, so every replica sharing the state secret can sign
and a database dump alone cannot. The associated data binds a blob to its credential id. A
PKCS#11 token implements the same protocol with a key label as reference.
"""

from __future__ import annotations

import base64
import os
from pathlib import Path
from typing import Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, utils
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from idp.signing.errors import KeyUnavailableError
from onedoor.config import Settings
from onedoor.errors import ConfigurationError

KEY_FILE_NAME = "idp-signing-key"
_VERSION = 1
_NONCE_BYTES = 12


class SigningKeyCustody(Protocol):
    """Generates keys and signs SHA-256 digests with them; private keys never leave it."""

    name: str

    def generate_key(self, *, key_id: str) -> tuple[ec.EllipticCurvePublicKey, bytes]:
        """A new P-256 key: its public half and the opaque reference to store."""
        ...

    def sign_digest(self, *, key_id: str, reference: bytes, digest: bytes) -> bytes:
        """DER ECDSA signature over a SHA-256 ``digest`` (RFC 5758 section 3.2)."""
        ...


class SealedKeyCustody:
    """P-256 keys as AES-GCM sealed PKCS#8 DER; the sealing key comes from the state dir."""

    name = "sealed"

    def __init__(self, sealing_key: bytes) -> None:
        if len(sealing_key) != 32:
            raise ConfigurationError("the signing-key sealing key must be 32 bytes")
        self._aead = AESGCM(sealing_key)

    def __repr__(self) -> str:
        return "SealedKeyCustody(<sealing key>)"

    def generate_key(self, *, key_id: str) -> tuple[ec.EllipticCurvePublicKey, bytes]:
        key = ec.generate_private_key(ec.SECP256R1())
        der = key.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        nonce = os.urandom(_NONCE_BYTES)
        sealed = self._aead.encrypt(nonce, der, _context(key_id))
        return key.public_key(), bytes([_VERSION]) + nonce + sealed

    def sign_digest(self, *, key_id: str, reference: bytes, digest: bytes) -> bytes:
        if len(digest) != 32:
            raise KeyUnavailableError("only SHA-256 digests are signed")
        key = self._open(key_id, reference)
        return key.sign(digest, ec.ECDSA(utils.Prehashed(hashes.SHA256())))

    def _open(self, key_id: str, reference: bytes) -> ec.EllipticCurvePrivateKey:
        try:
            if reference[0] != _VERSION:
                raise ValueError("unknown version")
            nonce, body = reference[1 : 1 + _NONCE_BYTES], reference[1 + _NONCE_BYTES :]
            der = self._aead.decrypt(nonce, body, _context(key_id))
            key = serialization.load_der_private_key(der, password=None)
        except (IndexError, InvalidTag, ValueError) as exc:
            raise KeyUnavailableError() from exc
        if not isinstance(key, ec.EllipticCurvePrivateKey):
            raise KeyUnavailableError()
        return key


def _context(key_id: str) -> bytes:
    return f"idp.signing.key:{key_id}".encode()


def load_sealed_custody(settings: Settings, *, create: bool = False) -> SealedKeyCustody:
    """The custody whose sealing key is in the state dir; created in development when asked."""
    path: Path = settings.state_dir / "secrets" / KEY_FILE_NAME
    if not path.exists():
        if not create or settings.environment != "development":
            raise ConfigurationError(f"signing-key sealing key {path} is missing")
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(base64.b64encode(AESGCM.generate_key(256)).decode() + "\n")
    try:
        key = base64.b64decode(path.read_text().strip(), validate=True)
    except (OSError, ValueError) as exc:
        raise ConfigurationError(f"signing-key sealing key {path} is not usable") from exc
    return SealedKeyCustody(key)
