"""Recovery codes: look-up secrets of SP 800-63B rev. 4 section 3.1.2, single use.

Ten codes of ten characters from a 32-symbol alphabet without look-alikes (50 bits each, from
the OS CSPRNG), shown once as ``XXXXX-XXXXX``. They are stored as HMAC-SHA256 digests under a
pepper kept in the state dir, not in the database, rather than as argon2id hashes:

- with 50 random bits a slow hash adds little: SP 800-63B asks a salted keyed hash only for
  look-up secrets of less than 112 bits, and a stolen database without the pepper gives an
  attacker nothing to search offline at all;
- a digest is a unique index lookup, while ten argon2 verifications (0.3 s and 190 MiB per
  attempt) would hand attackers a cheap denial of service; online guessing is throttled.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable

from idp.accounts.service import UNAMBIGUOUS
from idp.mfa.keys import MfaKeys

ALPHABET = UNAMBIGUOUS  # 32 symbols: no 0/O, no 1/I
CODE_COUNT = 10
CODE_LENGTH = 10

Random = Callable[[int], bytes]


def new_code(*, random: Random = secrets.token_bytes) -> str:
    return "".join(ALPHABET[byte % 32] for byte in random(CODE_LENGTH))


def display(code: str) -> str:
    half = CODE_LENGTH // 2
    return f"{code[:half]}-{code[half:]}"


def normalise(code: str) -> str | None:
    """Upper case without spaces or hyphens; None if it cannot be a recovery code."""
    cleaned = "".join(code.split()).replace("-", "").upper()
    if len(cleaned) != CODE_LENGTH or any(ch not in ALPHABET for ch in cleaned):
        return None
    return cleaned


def code_digest(keys: MfaKeys, *, account_id: int, code: str) -> bytes:
    return keys.digest(code.encode("ascii"), purpose=f"recovery:{account_id}")
