"""ID tokens the portal must refuse (OIDC Core 3.1.3.7), written from the attacker's side."""

from __future__ import annotations

from typing import Any

import pytest
from joserfc import jwt
from joserfc.jwk import ECKey, KeySet, OctKey

from portal.errors import SignInError
from portal.oidc.id_token import at_hash, validate_id_token

ISSUER = "http://127.0.0.1:8000/idp"
CLIENT = "portal-client"
NONCE = "n-0S6_WzA2Mj"
ACCESS = "access-token-value"
NOW = 1_767_600_000
PROVIDER = ECKey.generate_key("P-256", {"alg": "ES256"}, auto_kid=True)
KEYS = KeySet([PROVIDER])


def token(key: Any = PROVIDER, alg: str = "ES256", **changes: Any) -> str:
    claims: dict[str, Any] = {
        "iss": ISSUER, "sub": "abc123", "aud": CLIENT, "iat": NOW, "exp": NOW + 600,
        "nonce": NONCE, "at_hash": at_hash(ACCESS),
    }
    claims.update(changes)
    claims = {name: value for name, value in claims.items() if value is not None}
    return jwt.encode({"alg": alg, "kid": key.kid}, claims, key, algorithms=[alg])


def check(value: str, *, now: int = NOW) -> dict[str, Any]:
    return validate_id_token(
        value, keys=KEYS, issuer=ISSUER, client_id=CLIENT, nonce=NONCE, access_token=ACCESS,
        now=now,
    )


def test_a_genuine_token_is_accepted() -> None:
    assert check(token())["sub"] == "abc123"
    assert check(token(aud=[CLIENT, "other"], azp=CLIENT))["sub"] == "abc123"


@pytest.mark.parametrize(
    "changes",
    [
        {"nonce": "another-sign-in"},
        {"nonce": None},
        {"aud": "another-client"},
        {"aud": [CLIENT, "other"]},  # several audiences without azp
        {"iss": "https://evil.example/idp"},
        {"exp": NOW - 120},
        {"at_hash": at_hash("another-access-token")},
        {"at_hash": None},
        {"sub": None},
    ],
    ids=["nonce", "no-nonce", "aud", "azp", "iss", "expired", "at_hash", "no-at_hash", "no-sub"],
)
def test_a_token_with_wrong_claims_is_refused(changes: dict[str, Any]) -> None:
    with pytest.raises(SignInError):
        check(token(**changes))


def test_a_token_signed_by_another_key_is_refused() -> None:
    forger = ECKey.generate_key("P-256", {"alg": "ES256", "kid": str(PROVIDER.kid)})
    with pytest.raises(SignInError):
        check(token(forger))


def test_a_symmetric_or_unsigned_token_is_refused() -> None:
    secret = OctKey.generate_key(256, {"kid": str(PROVIDER.kid)})
    with pytest.raises(SignInError):
        check(token(secret, alg="HS256"))
    header, payload, _ = token().split(".")
    with pytest.raises(SignInError):
        check(f"eyJhbGciOiJub25lIn0.{payload}.")
    with pytest.raises(SignInError):
        check(f"{header}.{payload}.")
