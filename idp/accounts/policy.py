"""Password rules of NIST SP 800-63B (rev. 4) section 3.1.1.2, and nothing more.

- Length: at least 8 characters, because OneDoor uses a password only as one factor of
  multi-factor authentication (a login is never completed on a password alone, see
  :mod:`idp.mfa.login`); SP 800-63B asks 15 for passwords used as a single factor.
  At most 128 characters (SP 800-63B: permit at least 64), counted in Unicode code points
  after NFKC normalisation; spaces and every printable character are allowed.
- Refused: passwords on the shipped blocklist (``data/common-passwords.txt``: commonly used and
  breached-style passwords, keyboard and digit patterns, Lao context words), the same with
  digits or symbols added before or after, repetitive or sequential characters, and passwords
  that are mostly context words (the service name, the user's login, identifier or names).
- No composition rules (no "one digit and one symbol"), no periodic expiry.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from itertools import pairwise

from idp.accounts.errors import PasswordRejectedError

MIN_LENGTH = 8
MAX_LENGTH = 128
SERVICE_WORDS = ("onedoor", "one door", "one-door", "odsc")
_EDGES = re.compile(r"^[\W\d_]+|[\W\d_]+$")


@lru_cache(maxsize=1)
def blocklist() -> frozenset[str]:
    text = resources.files("idp.accounts").joinpath("data/common-passwords.txt").read_text("utf-8")
    return frozenset(
        line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def _is_trivial(password: str) -> bool:
    if len(set(password)) <= 2:
        return True
    steps = {ord(b) - ord(a) for a, b in pairwise(password)}
    return steps <= {1} or steps <= {-1}


@dataclass(frozen=True)
class PasswordPolicy:
    min_length: int = MIN_LENGTH
    max_length: int = MAX_LENGTH

    def check(self, password: str, *, context: Iterable[str] = ()) -> None:
        """Raise PasswordRejectedError with a reason the user can act on."""
        normalised = unicodedata.normalize("NFKC", password)
        if len(normalised) < self.min_length:
            raise PasswordRejectedError(
                f"the password must have at least {self.min_length} characters"
            )
        if len(normalised) > self.max_length:
            raise PasswordRejectedError(
                f"the password must have at most {self.max_length} characters"
            )
        if any(unicodedata.category(ch) == "Cc" for ch in normalised):
            raise PasswordRejectedError("the password must not contain control characters")
        folded = _fold(normalised)
        common = blocklist()
        if folded in common or _EDGES.sub("", folded) in common or _is_trivial(folded):
            raise PasswordRejectedError("this password is too common; choose another one")
        remainder = folded
        for word in _context_words(context):
            remainder = remainder.replace(word, "")
        if len(remainder.strip()) < self.min_length:
            raise PasswordRejectedError(
                "the password must not be built from your name, login or the service name"
            )


def _context_words(context: Iterable[str]) -> list[str]:
    words: set[str] = set(SERVICE_WORDS)
    for item in context:
        folded = _fold(item).strip()
        if len(folded) >= 3:
            words.add(folded)
        words.update(part for part in re.split(r"[\s.@_-]+", folded) if len(part) >= 3)
    return sorted(words, key=len, reverse=True)


DEFAULT_POLICY = PasswordPolicy()
