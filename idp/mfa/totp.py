"""Time-based one-time passwords (RFC 6238) with replay refusal and a one-step window.

Codes are computed by pyotp (RFC 4226 section 5.3 truncation); this module adds what an
authentication service needs: the step of a code (so a step accepted once is never accepted
again, RFC 6238 section 5.2), a window of one step either side for clock drift, and
comparison in constant time.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pyotp
import segno

from idp.accounts.errors import InvalidCredentialsError
from idp.mfa.errors import InvalidSeedError

ISSUER = "OneDoor"
ALGORITHMS: dict[str, Callable[..., Any]] = {
    "SHA1": hashlib.sha1,
    "SHA256": hashlib.sha256,
    "SHA512": hashlib.sha512,
}
MIN_SECRET_BYTES = 16  # 128 bits, RFC 4226 section 4 R6; apps get 20 bytes (160 bits)


@dataclass(frozen=True)
class TotpParameters:
    """The defaults every authenticator app reads: SHA1, 6 digits, 30 seconds (RFC 6238 4)."""

    algorithm: str = "SHA1"
    digits: int = 6
    period: int = 30

    def __post_init__(self) -> None:
        if self.algorithm not in ALGORITHMS or self.digits not in (6, 7, 8) or not (
            15 <= self.period <= 120
        ):
            raise InvalidSeedError("unsupported TOTP parameters")


APP_PARAMETERS = TotpParameters()


def encode_secret(secret: bytes) -> str:
    return base64.b32encode(secret).decode("ascii").rstrip("=")


def decode_secret(text: str) -> bytes:
    """Base32 as printed on tokens: any case, spaces and hyphens ignored, padding optional."""
    cleaned = "".join(text.split()).replace("-", "").upper().rstrip("=")
    try:
        secret = base64.b32decode(cleaned + "=" * (-len(cleaned) % 8))
    except (binascii.Error, ValueError) as exc:
        raise InvalidSeedError() from exc
    if len(secret) < MIN_SECRET_BYTES:
        raise InvalidSeedError()
    return secret


def time_step(now: datetime, period: int = 30) -> int:
    """T = floor((unix time - T0) / X), RFC 6238 section 4.2."""
    return int(now.timestamp()) // period


def code_at_step(secret: bytes, step: int, params: TotpParameters = APP_PARAMETERS) -> str:
    otp = pyotp.TOTP(
        encode_secret(secret), digits=params.digits, digest=ALGORITHMS[params.algorithm],
        interval=params.period,
    )
    return str(otp.generate_otp(step))


def verify_code(
    secret: bytes,
    code: str,
    *,
    now: datetime,
    last_step: int | None,
    params: TotpParameters = APP_PARAMETERS,
    window: int = 1,
) -> int:
    """Return the step ``code`` belongs to; raise InvalidCredentialsError if none matches.

    Steps at or before ``last_step`` (already used) are never accepted, so a code cannot be
    replayed and an older code cannot follow a newer one.
    """
    candidate = "".join(code.split())
    if len(candidate) != params.digits or not candidate.isascii() or not candidate.isdigit():
        raise InvalidCredentialsError()
    current = time_step(now, params.period)
    matched: int | None = None
    for step in range(current - window, current + window + 1):
        expected = code_at_step(secret, step, params)
        # Compare every candidate step, so the time taken does not reveal which one matched.
        if hmac.compare_digest(expected, candidate) and (last_step is None or step > last_step):
            matched = step
    if matched is None:
        raise InvalidCredentialsError()
    return matched


def provisioning_uri(
    secret: bytes, *, account_name: str, params: TotpParameters = APP_PARAMETERS
) -> str:
    """The ``otpauth://totp/`` URI of the Key Uri Format that authenticator apps scan."""
    label = urllib.parse.quote(f"{ISSUER}:{account_name}", safe=":@")
    query = urllib.parse.urlencode(
        {
            "secret": encode_secret(secret),
            "issuer": ISSUER,
            "algorithm": params.algorithm,
            "digits": params.digits,
            "period": params.period,
        }
    )
    return f"otpauth://totp/{label}?{query}"


def qr_svg(uri: str) -> str:
    """The URI as an SVG QR code (error correction M), ready to embed in a page."""
    qr = segno.make(uri, error="m", micro=False)
    svg: str = qr.svg_inline(scale=4, title="OneDoor authenticator enrolment")
    return svg
