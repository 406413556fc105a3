"""The verification code shown on both screens before the citizen confirms (as Smart-ID does).

Rule: take the hashes to be signed, in request order, as raw bytes; compute SHA-256 over their
concatenation (for a single hash that is SHA-256 of the hash); read the first two bytes as a
big-endian unsigned integer; the code is that integer modulo 10000, written with four digits.
The signature creation application computes it locally from the hash it sent, the service
returns it from credentials/authorize, and the citizen checks that both match.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence


def verification_code(hashes: Sequence[bytes]) -> str:
    """The four-digit code of ``hashes`` (see the module docstring for the rule)."""
    digest = hashlib.sha256(b"".join(hashes)).digest()
    return f"{int.from_bytes(digest[:2], 'big') % 10000:04d}"
