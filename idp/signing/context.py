"""What the signing service needs at run time: the PKI, key custody, MFA keys, clock."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from idp.accounts.throttle import DEFAULT_THROTTLE, ThrottlePolicy
from idp.mfa.keys import MfaKeys
from idp.signing.custody import SigningKeyCustody
from keys.pki import Pki

Clock = Callable[[], datetime]
Random = Callable[[int], bytes]

# CSC API v2 section 11.6: SAD is short-lived; five minutes covers reading the code twice.
SAD_LIFETIME = timedelta(minutes=5)
MAX_SIGNATURES = 10  # hashes one authorisation may cover (the credential's "multisign")


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class SigningContext:
    """Everything a signing operation uses; tests inject the clock and randomness."""

    pki: Pki
    custody: SigningKeyCustody = field(repr=False)
    mfa_keys: MfaKeys = field(repr=False)
    clock: Clock = utc_now
    random: Random = secrets.token_bytes
    sad_lifetime: timedelta = SAD_LIFETIME
    throttle: ThrottlePolicy = DEFAULT_THROTTLE
