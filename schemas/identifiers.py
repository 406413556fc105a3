"""The national person identifier: 12 digits ending in a Verhoeff check digit.

Layout: ``PP SSSSSSSSS C``: ``PP`` the province of first registration (01-18, national
statistics order), ``S`` a 9-digit serial, ``C`` the Verhoeff check digit over the first 11.
Verhoeff (dihedral group D5) was chosen over Luhn and ISO 7064 MOD 11-2 because it detects
every single-digit error and every adjacent transposition while staying all-digit (MOD 11-2
needs an ``X``), so the identifier fits numeric keypads and phone menus at the centres.
The XSD pattern checks the layout; :meth:`PersonId.parse` checks the digit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from schemas.errors import InvalidPersonIdError

_LAYOUT = re.compile(r"(0[1-9]|1[0-8])[0-9]{10}")
_SEPARATORS = re.compile(r"[\s-]")

_D = (
    (0, 1, 2, 3, 4, 5, 6, 7, 8, 9),
    (1, 2, 3, 4, 0, 6, 7, 8, 9, 5),
    (2, 3, 4, 0, 1, 7, 8, 9, 5, 6),
    (3, 4, 0, 1, 2, 8, 9, 5, 6, 7),
    (4, 0, 1, 2, 3, 9, 5, 6, 7, 8),
    (5, 9, 8, 7, 6, 0, 4, 3, 2, 1),
    (6, 5, 9, 8, 7, 1, 0, 4, 3, 2),
    (7, 6, 5, 9, 8, 2, 1, 0, 4, 3),
    (8, 7, 6, 5, 9, 3, 2, 1, 0, 4),
    (9, 8, 7, 6, 5, 4, 3, 2, 1, 0),
)
_P = (
    (0, 1, 2, 3, 4, 5, 6, 7, 8, 9),
    (1, 5, 7, 6, 2, 8, 3, 0, 9, 4),
    (5, 8, 0, 3, 7, 9, 6, 1, 4, 2),
    (8, 9, 1, 6, 0, 4, 3, 5, 2, 7),
    (9, 4, 5, 3, 1, 2, 6, 8, 7, 0),
    (4, 2, 8, 6, 5, 7, 3, 9, 0, 1),
    (2, 7, 9, 3, 8, 0, 6, 4, 1, 5),
    (7, 0, 4, 6, 9, 1, 3, 2, 5, 8),
)
_INV = (0, 4, 3, 2, 1, 5, 6, 7, 8, 9)


def verhoeff_check_digit(digits: str) -> str:
    """The Verhoeff check digit to append to ``digits``."""
    c = 0
    for i, ch in enumerate(reversed(digits)):
        c = _D[c][_P[(i + 1) % 8][int(ch)]]
    return str(_INV[c])


def verhoeff_is_valid(digits: str) -> bool:
    """True when the last digit of ``digits`` is the Verhoeff check digit of the rest."""
    c = 0
    for i, ch in enumerate(reversed(digits)):
        c = _D[c][_P[i % 8][int(ch)]]
    return c == 0


@dataclass(frozen=True, slots=True, order=True)
class PersonId:
    """A valid national person identifier; build it with :meth:`parse` or :meth:`issue`."""

    value: str

    def __post_init__(self) -> None:
        if not _LAYOUT.fullmatch(self.value) or not verhoeff_is_valid(self.value):
            raise InvalidPersonIdError()

    @classmethod
    def parse(cls, text: str) -> PersonId:
        """Parse user input (spaces and hyphens allowed); raises InvalidPersonIdError."""
        if not isinstance(text, str) or len(text) > 32:
            raise InvalidPersonIdError()
        compact = _SEPARATORS.sub("", text)
        if not _LAYOUT.fullmatch(compact):
            raise InvalidPersonIdError("a person identifier is 12 digits starting 01-18")
        if not verhoeff_is_valid(compact):
            raise InvalidPersonIdError("the person identifier's check digit is wrong")
        return cls(compact)

    @classmethod
    def issue(cls, *, province: int, serial: int) -> PersonId:
        """The identifier for a serial number issued in ``province`` (1-18)."""
        if not 1 <= province <= 18 or not 0 <= serial < 10**9:
            raise InvalidPersonIdError("province must be 1-18 and serial below 10**9")
        body = f"{province:02d}{serial:09d}"
        return cls(body + verhoeff_check_digit(body))

    @property
    def province(self) -> str:
        return self.value[:2]

    def formatted(self) -> str:
        """The printed form on certificates: ``PP-SSSSSSSSS-C``."""
        return f"{self.value[:2]}-{self.value[2:11]}-{self.value[11]}"

    def __str__(self) -> str:
        return self.value
