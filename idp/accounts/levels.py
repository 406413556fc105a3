"""Assurance levels (eIDAS Regulation 910/2014 art. 8, Implementing Regulation 2015/1502).

OneDoor records one level per account for identity proofing (how sure we are who the person
is) and computes the level of each login from the methods used; the ``acr`` of a login is the
lower of the two:

- ``low``: self-registration online, or a password alone;
- ``substantial``: in-person proofing with a photo identity document checked by an officer,
  and a login with two factors (password plus TOTP, hardware token or recovery code);
- ``high``: in-person proofing with a photo document plus a biometric match or a chip read,
  and a login with a phishing-resistant authenticator (WebAuthn, ``hwk``/``swk``).
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum


class AssuranceLevel(StrEnum):
    LOW = "low"
    SUBSTANTIAL = "substantial"
    HIGH = "high"

    @property
    def rank(self) -> int:
        return _RANK[self]

    @property
    def eidas_uri(self) -> str:
        """The eIDAS level of assurance URI commonly used as an ``acr`` value."""
        return f"http://eidas.europa.eu/LoA/{self.value}"


_RANK = {AssuranceLevel.LOW: 1, AssuranceLevel.SUBSTANTIAL: 2, AssuranceLevel.HIGH: 3}


def lowest(levels: Iterable[AssuranceLevel]) -> AssuranceLevel:
    return min(levels, key=lambda level: level.rank)


def level_of_methods(amr: Iterable[str]) -> AssuranceLevel:
    """The authentication level given RFC 8176 ``amr`` values of one login."""
    methods = set(amr)
    if "pwd" in methods and methods & {"hwk", "swk"}:
        return AssuranceLevel.HIGH
    if "pwd" in methods and "otp" in methods:
        return AssuranceLevel.SUBSTANTIAL
    return AssuranceLevel.LOW
