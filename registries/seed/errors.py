"""Errors of the seeder.

OneDoorError
└── InvalidRequestError
    └── SeedRefusedError        seed_refused: bad size, or the registry already holds persons
"""

from __future__ import annotations

from onedoor.errors import InvalidRequestError


class SeedRefusedError(InvalidRequestError):
    """The synthetic population cannot be seeded here."""

    code = "seed_refused"
    http_status = 409
