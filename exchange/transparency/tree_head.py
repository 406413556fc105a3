"""Signed tree heads: the log's signed commitment to a root (RFC 6962 section 3.5).

The signed bytes are RFC 6962's ``TreeHeadSignature`` structure: version v1 (0),
signature type tree_hash (1), uint64 timestamp in milliseconds, uint64 tree size and the
32-byte root hash. Key custody is an interface: anything with ``key_id`` and ``sign`` can
sign, anything with ``verify`` can check (a PKCS#11 or PKI-backed key later).
"""

from __future__ import annotations

import hashlib
import struct
from dataclasses import dataclass
from typing import Any, Protocol

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

from exchange.transparency.errors import TreeHeadSignatureError
from exchange.transparency.merkle import HASH_SIZE

VERSION_V1 = 0
SIGNATURE_TYPE_TREE_HASH = 1


def tree_head_message(*, tree_size: int, timestamp: int, root_hash: bytes) -> bytes:
    """The TreeHeadSignature bytes that are signed (RFC 6962 section 3.5)."""
    if len(root_hash) != HASH_SIZE or not 0 <= tree_size < 2**64 or not 0 <= timestamp < 2**64:
        raise ValueError("tree head fields out of range")
    return struct.pack(">BBQQ", VERSION_V1, SIGNATURE_TYPE_TREE_HASH, timestamp, tree_size) + (
        root_hash
    )


class TreeHeadSigner(Protocol):
    @property
    def key_id(self) -> str: ...

    def sign(self, message: bytes) -> bytes: ...


class TreeHeadVerifier(Protocol):
    def verify(self, *, key_id: str, message: bytes, signature: bytes) -> None:
        """Raise TreeHeadSignatureError unless ``signature`` is valid."""


def public_key_id(public_key: ec.EllipticCurvePublicKey) -> str:
    """SHA-256 of the DER SubjectPublicKeyInfo, as RFC 6962 section 3.2 names a log's key."""
    der = public_key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return hashlib.sha256(der).hexdigest()


class EcdsaP256Verifier:
    """Verifies ECDSA P-256 / SHA-256 signatures by one public key."""

    def __init__(self, public_key: ec.EllipticCurvePublicKey) -> None:
        if not isinstance(public_key.curve, ec.SECP256R1):
            raise ValueError("tree heads are signed with P-256")
        self.public_key = public_key
        self.key_id = public_key_id(public_key)

    def verify(self, *, key_id: str, message: bytes, signature: bytes) -> None:
        if key_id != self.key_id:
            raise TreeHeadSignatureError("the tree head is signed by an unknown key")
        try:
            self.public_key.verify(signature, message, ec.ECDSA(hashes.SHA256()))
        except InvalidSignature:
            raise TreeHeadSignatureError() from None


class EcdsaP256Signer:
    """Signs tree heads with an in-memory ECDSA P-256 private key."""

    def __init__(self, private_key: ec.EllipticCurvePrivateKey) -> None:
        if not isinstance(private_key.curve, ec.SECP256R1):
            raise ValueError("tree heads are signed with P-256")
        self._private_key = private_key
        self._verifier = EcdsaP256Verifier(private_key.public_key())

    @property
    def key_id(self) -> str:
        return self._verifier.key_id

    def sign(self, message: bytes) -> bytes:
        return self._private_key.sign(message, ec.ECDSA(hashes.SHA256()))

    def verifier(self) -> EcdsaP256Verifier:
        return self._verifier

    def __repr__(self) -> str:
        return f"EcdsaP256Signer(key_id={self.key_id[:16]}...)"


@dataclass(frozen=True)
class SignedTreeHead:
    """A tree size, when it was signed, its root hash, and the log's signature over them."""

    tree_size: int
    timestamp: int
    root_hash: bytes
    key_id: str
    signature: bytes

    def message(self) -> bytes:
        return tree_head_message(
            tree_size=self.tree_size, timestamp=self.timestamp, root_hash=self.root_hash
        )

    def verify(self, verifier: TreeHeadVerifier) -> None:
        """Raise TreeHeadSignatureError unless the log's key signed exactly these fields."""
        try:
            message = self.message()
        except ValueError:
            raise TreeHeadSignatureError("the tree head is malformed") from None
        verifier.verify(key_id=self.key_id, message=message, signature=self.signature)

    def to_json(self) -> dict[str, Any]:
        return {
            "tree_size": self.tree_size,
            "timestamp": self.timestamp,
            "root_hash": self.root_hash.hex(),
            "key_id": self.key_id,
            "signature": self.signature.hex(),
        }


def sign_head(
    signer: TreeHeadSigner, *, tree_size: int, timestamp: int, root_hash: bytes
) -> SignedTreeHead:
    message = tree_head_message(tree_size=tree_size, timestamp=timestamp, root_hash=root_hash)
    return SignedTreeHead(
        tree_size=tree_size,
        timestamp=timestamp,
        root_hash=root_hash,
        key_id=signer.key_id,
        signature=signer.sign(message),
    )
