"""private_key_jwt and client_secret_basic from the attacker's side (RFC 7523 2.2, 3)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from typing import Any

import pytest
from joserfc import jwt
from joserfc.jwk import ECKey

from tests.idp.oidc.conftest import Idp, ec_jwk

ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _claims(idp: Idp, client_id: str, **overrides: Any) -> dict[str, Any]:
    now = idp.provider.now()
    claims = {
        "iss": client_id,
        "sub": client_id,
        "aud": idp.issuer + "/token",
        "exp": now + 60,
        "iat": now,
        "jti": secrets.token_urlsafe(12),
    }
    claims.update(overrides)
    return claims


def _sign(private: dict[str, Any], claims: dict[str, Any], **header: Any) -> str:
    key = ECKey.import_key(private)
    return jwt.encode({"alg": "ES256", "kid": private["kid"], **header}, claims, key)


def _grant(idp: Idp, assertion: str) -> Any:
    return idp.http.post(
        "/idp/token",
        data={
            "grant_type": "client_credentials",
            "client_assertion_type": ASSERTION_TYPE,
            "client_assertion": assertion,
        },
    )


@pytest.fixture
def ministry(idp: Idp) -> tuple[str, dict[str, Any]]:
    private, jwks = ec_jwk()
    client = idp.register(
        grant_types=["client_credentials"],
        auth_method="private_key_jwt",
        jwks=jwks,
        scopes=["registry.read", "registry.write"],
        redirect_uris=[],
        post_logout_redirect_uris=[],
    )
    return client.client.client_id, private


def test_valid_assertion_gets_client_credentials_token(idp: Idp, ministry: Any) -> None:
    client_id, private = ministry
    response = _grant(idp, _sign(private, _claims(idp, client_id)))
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["scope"] == "registry.read registry.write" and "refresh_token" not in body
    issuer_aud = _grant(idp, _sign(private, _claims(idp, client_id, aud=idp.issuer)))
    assert issuer_aud.status_code == 200


def test_replayed_jti_is_refused(idp: Idp, ministry: Any) -> None:
    client_id, private = ministry
    assertion = _sign(private, _claims(idp, client_id))
    assert _grant(idp, assertion).status_code == 200
    replay = _grant(idp, assertion)
    assert replay.status_code == 401 and replay.json()["error"] == "invalid_client"


def test_assertion_signed_with_another_key_is_refused(idp: Idp, ministry: Any) -> None:
    client_id, private = ministry
    attacker, _ = ec_jwk()
    attacker["kid"] = private["kid"]
    assert _grant(idp, _sign(attacker, _claims(idp, client_id))).status_code == 401


def test_unknown_kid_is_refused(idp: Idp, ministry: Any) -> None:
    client_id, private = ministry
    token = _sign(private, _claims(idp, client_id), kid="unknown")
    assert _grant(idp, token).status_code == 401


def test_alg_none_is_refused(idp: Idp, ministry: Any) -> None:
    client_id, _ = ministry
    header = _b64(json.dumps({"alg": "none", "typ": "JWT"}).encode())
    body = _b64(json.dumps(_claims(idp, client_id)).encode())
    assert _grant(idp, f"{header}.{body}.").status_code == 401


def test_hs256_signed_with_the_public_key_is_refused(idp: Idp, ministry: Any) -> None:
    client_id, private = ministry
    public_pem = ECKey.import_key(private).as_pem(private=False)
    header = _b64(json.dumps({"alg": "HS256", "kid": private["kid"]}).encode())
    body = _b64(json.dumps(_claims(idp, client_id)).encode())
    mac = hmac.new(public_pem, f"{header}.{body}".encode(), hashlib.sha256).digest()
    assert _grant(idp, f"{header}.{body}.{_b64(mac)}").status_code == 401


@pytest.mark.parametrize(
    "overrides",
    [
        {"exp": -60},
        {"nbf": 600},
        {"aud": "https://other.example/token"},
        {"iss": "someone-else"},
        {"jti": None},
        {"exp": 7200},
    ],
    ids=["expired", "not-yet-valid", "wrong-aud", "wrong-iss", "no-jti", "too-long-lived"],
)
def test_bad_claims_are_refused(idp: Idp, ministry: Any, overrides: dict[str, Any]) -> None:
    client_id, private = ministry
    now = idp.provider.now()
    claims = _claims(idp, client_id)
    for name, value in overrides.items():
        if value is None:
            del claims[name]
        elif name in ("exp", "nbf"):
            claims[name] = now + value
        else:
            claims[name] = value
    assert _grant(idp, _sign(private, claims)).status_code == 401


def test_client_credentials_scope_is_limited_to_allowed(idp: Idp, ministry: Any) -> None:
    client_id, private = ministry
    ok = _grant(idp, _sign(private, _claims(idp, client_id)))
    assert ok.status_code == 200
    response = idp.http.post(
        "/idp/token",
        data={
            "grant_type": "client_credentials",
            "client_assertion_type": ASSERTION_TYPE,
            "client_assertion": _sign(private, _claims(idp, client_id)),
            "scope": "openid",
        },
    )
    assert response.json()["error"] == "invalid_scope"


def test_wrong_client_secret_gets_401_with_basic_challenge(idp: Idp) -> None:
    client = idp.register()
    response = idp.http.post(
        "/idp/token",
        data={"grant_type": "authorization_code", "code": "x"},
        auth=(client.client.client_id, "wrong"),
    )
    assert response.status_code == 401 and response.json()["error"] == "invalid_client"
    assert response.headers["www-authenticate"].startswith("Basic")
    anonymous = idp.http.post("/idp/token", data={"grant_type": "client_credentials"})
    assert anonymous.status_code == 401


def test_client_may_not_use_an_unregistered_grant(idp: Idp) -> None:
    client = idp.register()
    response = idp.token(client, grant_type="client_credentials")
    assert response.json()["error"] == "unauthorized_client"
    response = idp.token(client, grant_type="password")
    assert response.json()["error"] == "unsupported_grant_type"
