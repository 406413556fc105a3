"""Encryption at rest of previewed data: AES-256-GCM bound to the row it belongs to."""

from __future__ import annotations

import os
from typing import Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from exchange.consent.errors import PreviewError

_VERSION = b"\x01"
_NONCE = 12


class PreviewSealer(Protocol):
    def seal(self, plaintext: bytes, *, context: bytes) -> bytes: ...

    def open(self, sealed: bytes, *, context: bytes) -> bytes:
        """The plaintext; raises PreviewError if ``sealed`` was altered or moved to another row."""
        ...


class AesGcmSealer:
    """A 256-bit key held by the process (from the state dir); nonces are random."""

    def __init__(self, key: bytes) -> None:
        if len(key) != 32:
            raise ValueError("the preview key is 32 bytes")
        self._aead = AESGCM(key)

    def __repr__(self) -> str:
        return "AesGcmSealer(<key>)"

    def seal(self, plaintext: bytes, *, context: bytes) -> bytes:
        nonce = os.urandom(_NONCE)
        return _VERSION + nonce + self._aead.encrypt(nonce, plaintext, context)

    def open(self, sealed: bytes, *, context: bytes) -> bytes:
        if len(sealed) < 1 + _NONCE + 16 or sealed[:1] != _VERSION:
            raise PreviewError("the previewed data cannot be read")
        try:
            return self._aead.decrypt(sealed[1 : 1 + _NONCE], sealed[1 + _NONCE :], context)
        except InvalidTag:
            raise PreviewError("the previewed data cannot be read") from None
