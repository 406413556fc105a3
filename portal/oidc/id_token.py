"""ID token validation by the relying party (OIDC Core 3.1.3.7), with joserfc.

Every failure raises :class:`~portal.errors.SignInError` (one opaque error for the browser);
the reason stays in the exception chain for logs and tests.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Collection
from typing import Any

from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from portal.errors import SignInError

ALGORITHMS = ("ES256", "RS256")
MAX_TOKEN_BYTES = 16 * 1024


def at_hash(access_token: str) -> str:
    """Left half of SHA-256 of the access token, base64url (OIDC Core 3.1.3.6)."""
    digest = hashlib.sha256(access_token.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest[:16]).rstrip(b"=").decode("ascii")


def _same(left: object, right: str) -> bool:
    return isinstance(left, str) and hmac.compare_digest(left.encode(), right.encode())


def validate_id_token(
    token: str,
    *,
    keys: KeySet,
    issuer: str,
    client_id: str,
    nonce: str,
    access_token: str,
    now: int,
    leeway: int = 60,
    algorithms: Collection[str] = ALGORITHMS,
) -> dict[str, Any]:
    """The claims of a valid ID token for this client and this sign-in; else SignInError."""
    if len(token) > MAX_TOKEN_BYTES:
        raise SignInError("the ID token is too long")
    try:
        decoded = jwt.decode(token, keys, algorithms=list(algorithms))
        registry = jwt.JWTClaimsRegistry(
            now=now, leeway=leeway,
            iss={"essential": True, "value": issuer},
            aud={"essential": True, "value": client_id},
            sub={"essential": True},
            exp={"essential": True},
            iat={"essential": True},
        )
        registry.validate(decoded.claims)
    except (JoseError, ValueError, TypeError, KeyError) as exc:
        raise SignInError(f"ID token rejected: {type(exc).__name__}") from exc
    claims = dict(decoded.claims)
    audience = claims["aud"]
    if isinstance(audience, list) and len(audience) > 1 and claims.get("azp") != client_id:
        raise SignInError("ID token has several audiences and azp is not this client")
    if not _same(claims.get("nonce"), nonce):
        raise SignInError("ID token nonce does not match this sign-in")
    if not _same(claims.get("at_hash"), at_hash(access_token)):
        raise SignInError("ID token at_hash does not match the access token")
    if not isinstance(claims["sub"], str) or not 0 < len(claims["sub"]) <= 255:
        raise SignInError("ID token subject is not usable")
    return claims
