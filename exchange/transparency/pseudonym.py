"""Keyed pseudonyms of data subjects, so the log is searchable per citizen but holds no ids."""

from __future__ import annotations

import hmac
import unicodedata
from typing import Protocol

MIN_KEY_BYTES = 32


class SubjectPseudonymizer(Protocol):
    def pseudonym(self, subject_id: str) -> str:
        """The stable pseudonym of a national identifier; the identifier is never stored."""


class HmacPseudonymizer:
    """HMAC-SHA256 of the normalised identifier under a secret key, as lowercase hex."""

    def __init__(self, key: bytes) -> None:
        if len(key) < MIN_KEY_BYTES:
            raise ValueError(f"the pseudonym key must be at least {MIN_KEY_BYTES} bytes")
        self._key = key

    def pseudonym(self, subject_id: str) -> str:
        normalised = unicodedata.normalize("NFC", subject_id).strip()
        if not normalised:
            raise ValueError("empty subject identifier")
        return hmac.digest(self._key, normalised.encode(), "sha256").hex()

    def __repr__(self) -> str:
        return "HmacPseudonymizer(key=***)"
