"""Identifiers for a synthetic population: distinct by construction, scrambled, reproducible.

Each sequence maps n -> (n * step + offset) mod 10**digits with ``step`` a power of 3, which is
coprime to 10**digits, so the first 10**digits numbers are all distinct without remembering any
of them (memory stays flat for millions of persons) and do not look sequential.
"""

from __future__ import annotations

import random

from schemas.identifiers import PersonId


class Sequence:
    """Distinct numbers below ``10**digits`` in a scrambled, seed-determined order."""

    def __init__(self, rng: random.Random, digits: int) -> None:
        self._modulus: int = 10**digits
        self._step: int = 3 ** (2 * digits)
        self._offset = rng.randrange(self._modulus)
        self._count = 0

    def next(self) -> int:
        if self._count >= self._modulus:
            raise OverflowError("identifier sequence exhausted")
        value = (self._count * self._step + self._offset) % self._modulus
        self._count += 1
        return value


class IdSource:
    """Every identifier the seeder issues: persons, records, households, enterprises, TINs."""

    def __init__(self, rng: random.Random) -> None:
        self._persons = Sequence(rng, 9)
        self._records = {prefix: Sequence(rng, 10) for prefix in ("BR", "MR", "DR", "HH", "BZ")}
        self._certificates = {prefix: Sequence(rng, 8) for prefix in ("BC", "MC", "DC")}
        self._tins = Sequence(rng, 10)

    def person(self, *, province: int) -> str:
        """A valid person id (Verhoeff check digit) registered in ``province``."""
        return PersonId.issue(province=province, serial=self._persons.next()).value

    def record(self, prefix: str) -> str:
        return f"{prefix}{self._records[prefix].next():010d}"

    def certificate(self, prefix: str, year: int) -> str:
        return f"{prefix}-{year:04d}-{self._certificates[prefix].next():08d}"

    def tin(self) -> str:
        return f"{self._tins.next():010d}"
