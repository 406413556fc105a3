"""Remember signatures already verified, so an unchanged consent is not re-verified per use.

The cache key is the whole JWS and the whole signed payload (the artefact rebuilt from the
stored row), so any change to a signed column, or a signature swapped in, misses the cache and
is verified (and refused) as before. Only successes are remembered, with the public key that
verified them: a hit counts only while the verifier still trusts that same key under that
``kid``. An ECDSA P-256 verification costs about as much as the rest of a decision.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict

from cryptography.hazmat.primitives.asymmetric import ec

from exchange.consent.errors import ConsentSignatureInvalidError
from exchange.consent.signing import ConsentVerifier, verify_detached

DEFAULT_SIZE = 65_536


class VerifiedSignatures:
    """A bounded, thread-safe memory of (JWS, payload) pairs that verified, least recent out."""

    def __init__(self, size: int = DEFAULT_SIZE) -> None:
        if size < 1:
            raise ValueError("size must be positive")
        self._size = size
        self._lock = threading.Lock()
        self._entries: OrderedDict[tuple[str, bytes], tuple[str, ec.EllipticCurvePublicKey]] = (
            OrderedDict()
        )

    def __len__(self) -> int:
        return len(self._entries)

    def verify(self, jws: str, payload: bytes, verifier: ConsentVerifier) -> str:
        """Like :func:`verify_detached` (returns the key id, raises on any failure)."""
        cache_key = (jws, hashlib.sha256(payload).digest() + len(payload).to_bytes(8, "big"))
        with self._lock:
            known = self._entries.get(cache_key)
            if known is not None:
                self._entries.move_to_end(cache_key)
        if known is not None:
            key_id, public_key = known
            trusted = verifier.public_key(key_id)
            if trusted is not None and trusted == public_key:
                return key_id
        key_id = verify_detached(jws, payload, verifier)
        verified_with = verifier.public_key(key_id)
        if verified_with is None:  # the verifier changed its mind between two calls
            raise ConsentSignatureInvalidError()
        with self._lock:
            self._entries[cache_key] = (key_id, verified_with)
            self._entries.move_to_end(cache_key)
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)
        return key_id

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


VERIFIED = VerifiedSignatures()
