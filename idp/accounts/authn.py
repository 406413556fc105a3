"""What a login step returns: the first factor checked, then the completed authentication."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from idp.accounts.levels import AssuranceLevel


@dataclass(frozen=True)
class PasswordVerified:
    """The password was right; the login is complete only after a second factor."""

    account_id: int
    subject: str
    login: str
    password_must_change: bool
    verified_at: datetime


@dataclass(frozen=True)
class AuthenticationResult:
    """A completed login: what an OpenID provider puts in ``sub``, ``amr``, ``acr``, ``auth_time``.

    ``amr`` holds RFC 8176 values ("pwd", "otp", "hwk", "swk", "mfa"); ``acr`` is the lower of
    the account's identity-proofing level and the level of the methods used
    (:mod:`idp.accounts.levels`).
    """

    account_id: int
    subject: str
    amr: tuple[str, ...]
    acr: AssuranceLevel
    auth_time: datetime
