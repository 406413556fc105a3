"""The only module that touches JOSE: sign and verify JWTs (RFC 7515, 7519) with joserfc.

Verification raises JwtRejectedError and never returns a bool; the reason is for logs and tests,
callers map it to one opaque protocol error.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Collection, Mapping
from functools import lru_cache
from typing import Any

from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import ECKey, KeySet, KeySetSerialization, RSAKey
from joserfc.jws import extract_compact

from onedoor.errors import OneDoorError

ASYMMETRIC_ALGORITHMS = ("ES256", "ES384", "ES512", "RS256", "RS384", "RS512", "PS256", "PS384")
MAX_JWT_BYTES = 16 * 1024


class JwtRejectedError(OneDoorError):
    """A JWT failed signature, algorithm, key or claim checks."""

    code = "jwt_rejected"
    http_status = 401


def generate_private_jwk(alg: str) -> dict[str, Any]:
    """A fresh private signing JWK for ``alg`` (ES256: P-256, RS256: RSA 3072) with a kid."""
    key: ECKey | RSAKey
    if alg == "ES256":
        key = ECKey.generate_key("P-256", {"alg": alg, "use": "sig"}, auto_kid=True)
    elif alg == "RS256":
        key = RSAKey.generate_key(3072, {"alg": alg, "use": "sig"}, auto_kid=True)
    else:
        raise ValueError(f"unsupported signing algorithm {alg}")
    return dict(key.as_dict(private=True))


def public_jwk(private: Mapping[str, Any]) -> dict[str, Any]:
    """The public half of a JWK, keeping kid, alg and use."""
    key = KeySet.import_key_set({"keys": [dict(private)]}).keys[0]
    return dict(key.as_dict(private=False))


def parse_key_set(jwks: Mapping[str, Any]) -> KeySet:
    """Import a JWK Set (RFC 7517 5); raises JwtRejectedError if it is not one.

    Imports are cached by the set's canonical JSON: a client's keys are parsed once per
    process, not on every token request, and a changed set is a new entry.
    """
    try:
        return _import_key_set(json.dumps(jwks, sort_keys=True, separators=(",", ":")))
    except (KeyError, TypeError, ValueError, JoseError) as exc:
        raise JwtRejectedError("not a usable JWK Set") from exc


@lru_cache(maxsize=512)
def _import_key_set(canonical: str) -> KeySet:
    keys = json.loads(canonical)["keys"]
    if not isinstance(keys, list) or not keys:
        raise ValueError("empty")
    serialized: KeySetSerialization = {"keys": keys}
    return KeySet.import_key_set(serialized)


def sign(claims: Mapping[str, Any], *, private: Mapping[str, Any], typ: str = "JWT") -> str:
    """A compact JWS over ``claims`` with the private JWK's alg and kid in the header."""
    key = _import_key_set(json.dumps({"keys": [dict(private)]}, sort_keys=True)).keys[0]
    header = {"alg": str(private["alg"]), "kid": str(private["kid"]), "typ": typ}
    return jwt.encode(header, dict(claims), key, algorithms=[header["alg"]])


def unverified_claims(token: str) -> dict[str, Any]:
    """Payload of a JWS before verification: only to find which keys verify it."""
    try:
        if len(token) > MAX_JWT_BYTES:
            raise ValueError("too long")
        claims = json.loads(extract_compact(token.encode("ascii")).payload)
    except (ValueError, UnicodeError, JoseError) as exc:
        raise JwtRejectedError("malformed JWT") from exc
    if not isinstance(claims, dict):
        raise JwtRejectedError("JWT payload is not an object")
    return claims


def verify(
    token: str,
    *,
    keys: KeySet,
    algorithms: Collection[str],
    issuer: str,
    audiences: Collection[str],
    now: int,
    leeway: int = 0,
    typ: str | None = None,
    required: Collection[str] = ("exp",),
) -> dict[str, Any]:
    """Claims of a JWT signed by one of ``keys`` with an allowed algorithm; raises JwtRejectedError.

    The key is chosen by ``kid``; an unknown kid, ``alg: none``, a symmetric algorithm or
    a wrong ``typ``, ``iss`` or ``aud``, or an expired or not yet valid token is refused.
    """
    if any(alg not in ASYMMETRIC_ALGORITHMS for alg in algorithms):
        raise ValueError("only asymmetric algorithms may be allowed")
    if len(token) > MAX_JWT_BYTES:
        raise JwtRejectedError("JWT too long")
    try:
        decoded = jwt.decode(token, keys, algorithms=list(algorithms))
        options: dict[str, Any] = {name: {"essential": True} for name in required}
        options["iss"] = {"essential": True, "value": issuer}
        options["aud"] = {"essential": True, "values": list(audiences)}
        jwt.JWTClaimsRegistry(now=now, leeway=leeway, **options).validate(decoded.claims)
    except (JoseError, ValueError, TypeError, KeyError) as exc:
        raise JwtRejectedError(f"JWT rejected: {type(exc).__name__}") from exc
    if typ is not None and str(decoded.header.get("typ", "")).lower() != typ:
        raise JwtRejectedError("JWT has the wrong typ")
    return dict(decoded.claims)


def half_hash(value: str) -> str:
    """at_hash for SHA-256 algorithms: left half of the digest, base64url (OIDC Core 3.1.3.6)."""
    digest = hashlib.sha256(value.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest[: len(digest) // 2]).rstrip(b"=").decode("ascii")
