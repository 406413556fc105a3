"""Proof Key for Code Exchange, S256 only (RFC 7636)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re

from idp.oidc.errors import InvalidGrantError, InvalidRequestError

# RFC 7636 4.1 (verifier) and 4.2 (BASE64URL of a SHA-256: 43 characters)
_VERIFIER = re.compile(r"^[A-Za-z0-9\-._~]{43,128}$")
_CHALLENGE = re.compile(r"^[A-Za-z0-9\-_]{43}$")


def check_challenge(challenge: str | None, method: str | None) -> str:
    """The code_challenge of an authorization request; S256 is required (RFC 7636 4.3)."""
    if not challenge:
        raise InvalidRequestError("code_challenge is required (PKCE, RFC 7636)")
    if method != "S256":
        raise InvalidRequestError("code_challenge_method must be S256")
    if not _CHALLENGE.match(challenge):
        raise InvalidRequestError("code_challenge is not a BASE64URL SHA-256 value")
    return challenge


def s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def verify(*, verifier: str | None, challenge: str) -> None:
    """Raise InvalidGrantError unless ``verifier`` hashes to ``challenge`` (RFC 7636 4.6)."""
    if not verifier or not _VERIFIER.match(verifier):
        raise InvalidGrantError("code_verifier is missing or malformed")
    if not hmac.compare_digest(s256(verifier), challenge):
        raise InvalidGrantError("code_verifier does not match the code_challenge")
