"""Key custody: who holds the CA private keys (files now; a PKCS#11 token can be added)."""

from __future__ import annotations

import base64
import binascii
import re
from pathlib import Path
from typing import Protocol

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from keys.errors import KeyPassphraseError, PkiFileUnreadableError, PkiInconsistentError
from keys.files import KEY_FILE_MODE, read_bytes, write_atomically
from keys.layout import key_path

_ENCRYPTED_PEM = re.compile(
    rb"\A\s*-----BEGIN ENCRYPTED PRIVATE KEY-----\r?\n([A-Za-z0-9+/=\r\n]+)"
    rb"-----END ENCRYPTED PRIVATE KEY-----\s*\Z"
)


class KeyCustody(Protocol):
    """Generates and holds named private keys; callers never see where they are stored."""

    def has_key(self, name: str) -> bool:
        """Whether anything is stored under ``name`` (even something unreadable)."""
        ...

    def generate_key(self, name: str, curve: ec.EllipticCurve) -> ec.EllipticCurvePublicKey:
        """Create and store a new key under ``name``; returns its public half."""
        ...

    def private_key(self, name: str) -> ec.EllipticCurvePrivateKey:
        """The key stored under ``name``, ready to sign."""
        ...


class FileKeyCustody:
    """Keys as passphrase-encrypted PKCS#8 PEM files (mode 0600) in one directory."""

    def __init__(self, directory: Path, passphrase: bytes) -> None:
        self.directory = directory
        self._passphrase = passphrase
        self._loaded: dict[str, ec.EllipticCurvePrivateKey] = {}

    def __repr__(self) -> str:
        return f"FileKeyCustody({str(self.directory)!r})"

    def relocated(self, directory: Path) -> FileKeyCustody:
        """The same custody (passphrase) over another directory."""
        return FileKeyCustody(directory, self._passphrase)

    def key_path(self, name: str) -> Path:
        return key_path(self.directory, name)

    def has_key(self, name: str) -> bool:
        return self.key_path(name).exists() or self.key_path(name).is_symlink()

    def generate_key(self, name: str, curve: ec.EllipticCurve) -> ec.EllipticCurvePublicKey:
        path = self.key_path(name)
        if self.has_key(name):
            raise PkiInconsistentError(f"refusing to overwrite private key {path}")
        key = ec.generate_private_key(curve)
        pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(self._passphrase),
        )
        write_atomically(path, pem, mode=KEY_FILE_MODE)
        self._loaded[name] = key
        return key.public_key()

    def private_key(self, name: str) -> ec.EllipticCurvePrivateKey:
        if name not in self._loaded:
            path = self.key_path(name)
            self._loaded[name] = decrypt_private_key(
                read_bytes(path, what="private key"), self._passphrase, source=str(path)
            )
        return self._loaded[name]


def decrypt_private_key(
    data: bytes, passphrase: bytes, *, source: str
) -> ec.EllipticCurvePrivateKey:
    """Decrypt an encrypted PKCS#8 PEM EC key (RFC 5958 section 3), telling corrupt from wrong."""
    if not _is_well_formed_encrypted_pkcs8(data):
        raise PkiFileUnreadableError(
            f"private key {source} is corrupt (not an encrypted PKCS#8 PEM key)"
        )
    try:
        key = serialization.load_pem_private_key(data, passphrase)
    except ValueError:
        raise KeyPassphraseError(f"cannot decrypt key {source}: wrong passphrase") from None
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise PkiFileUnreadableError(f"private key {source} is not an elliptic-curve key")
    return key


def _is_well_formed_encrypted_pkcs8(data: bytes) -> bool:
    """PEM armour intact and the DER inside a single complete SEQUENCE."""
    match = _ENCRYPTED_PEM.match(data)
    if match is None:
        return False
    try:
        der = base64.b64decode(re.sub(rb"\s+", b"", match.group(1)), validate=True)
    except (binascii.Error, ValueError):
        return False
    if len(der) < 2 or der[0] != 0x30:
        return False
    length, offset = der[1], 2
    if length & 0x80:
        count = length & 0x7F
        if count == 0 or count > 4 or len(der) < 2 + count:
            return False
        length, offset = int.from_bytes(der[2 : 2 + count], "big"), 2 + count
    return offset + length == len(der)
