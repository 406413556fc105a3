"""Forged, altered and expired access tokens at the idp's userinfo and introspection, over HTTP.

Each forgery starts from a genuine access token and keeps its claims and key id, so only the
attack differs: ``alg: none``, HS256 keyed with the provider's public key, a foreign key reusing
the provider's ``kid``, an altered subject, and plain expiry.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Callable
from typing import Any

import pytest

from idp.oidc.jose import generate_private_jwk, sign
from tests.idp.oidc.conftest import REDIRECT, Idp


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _json(part: str) -> dict[str, Any]:
    decoded: dict[str, Any] = json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    return decoded


def _parts(token: str) -> tuple[dict[str, Any], dict[str, Any]]:
    header, payload, _ = token.split(".")
    return _json(header), _json(payload)


def _compact(header: dict[str, Any], claims: dict[str, Any], signature: bytes = b"") -> str:
    return ".".join((_b64(json.dumps(header).encode()), _b64(json.dumps(claims).encode()),
                     _b64(signature)))


def alg_none(token: str, jwks: dict[str, Any]) -> str:
    header, claims = _parts(token)
    return _compact({**header, "alg": "none"}, claims)


def hs256_with_public_key(token: str, jwks: dict[str, Any]) -> str:
    header, claims = _parts(token)
    forged_header = {**header, "alg": "HS256"}
    public = json.dumps(next(k for k in jwks["keys"] if k["kid"] == header["kid"])).encode()
    signing_input = ".".join((_b64(json.dumps(forged_header).encode()),
                              _b64(json.dumps(claims).encode()))).encode()
    signature = hmac.new(public, signing_input, hashlib.sha256).digest()
    return signing_input.decode() + "." + _b64(signature)


def foreign_key_same_kid(token: str, jwks: dict[str, Any]) -> str:
    header, claims = _parts(token)
    private = {**generate_private_jwk("ES256"), "kid": header["kid"]}
    return sign(claims, private=private, typ=header["typ"])


def rs256_foreign_key_same_kid(token: str, jwks: dict[str, Any]) -> str:
    header, claims = _parts(token)
    private = {**generate_private_jwk("RS256"), "kid": header["kid"]}
    return sign(claims, private=private, typ=header["typ"])


def altered_subject(token: str, jwks: dict[str, Any]) -> str:
    header_part, _, signature = token.split(".")
    _, claims = _parts(token)
    return ".".join((header_part, _b64(json.dumps({**claims, "sub": "sub-bob"}).encode()),
                     signature))


FORGERIES: dict[str, Callable[[str, dict[str, Any]], str]] = {
    "alg_none": alg_none,
    "hs256_with_public_key": hs256_with_public_key,
    "foreign_key_same_kid": foreign_key_same_kid,
    "rs256_foreign_key_same_kid": rs256_foreign_key_same_kid,
    "altered_subject": altered_subject,
}


def _genuine(idp: Idp) -> tuple[Any, str]:
    client = idp.register()
    code, verifier = idp.login(client.client.client_id)
    tokens = idp.token(client, grant_type="authorization_code", code=code,
                       redirect_uri=REDIRECT, code_verifier=verifier).json()
    return client, str(tokens["access_token"])


def _userinfo(idp: Idp, token: str) -> Any:
    return idp.http.get("/idp/userinfo", headers={"Authorization": f"Bearer {token}"})


def _introspect(idp: Idp, client: Any, token: str) -> dict[str, Any]:
    response = idp.http.post("/idp/introspect", data={"token": token},
                             auth=(client.client.client_id, client.secret or ""))
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    return body


@pytest.mark.parametrize("forgery", sorted(FORGERIES))
def test_forged_access_token_is_refused_at_userinfo_and_inactive_at_introspection(
    idp: Idp, forgery: str
) -> None:
    client, genuine = _genuine(idp)
    assert _userinfo(idp, genuine).status_code == 200  # the starting point works
    jwks = idp.http.get("/idp/jwks").json()
    forged = FORGERIES[forgery](genuine, jwks)
    response = _userinfo(idp, forged)
    assert response.status_code == 401
    assert 'error="invalid_token"' in response.headers["www-authenticate"]
    assert "sub" not in response.json()
    assert _introspect(idp, client, forged) == {"active": False}


def test_expired_access_token_is_refused_at_userinfo_and_inactive_at_introspection(
    idp: Idp,
) -> None:
    client, genuine = _genuine(idp)
    _, claims = _parts(genuine)
    idp.clock.advance(claims["exp"] - claims["iat"] + 1)
    response = _userinfo(idp, genuine)
    assert response.status_code == 401
    assert 'error="invalid_token"' in response.headers["www-authenticate"]
    assert _introspect(idp, client, genuine) == {"active": False}


def test_another_clients_refresh_token_is_not_confirmed_to_a_thief(idp: Idp) -> None:
    owner = idp.register()
    code, verifier = idp.login(owner.client.client_id)
    tokens = idp.token(owner, grant_type="authorization_code", code=code,
                       redirect_uri=REDIRECT, code_verifier=verifier).json()
    thief = idp.register()
    assert _introspect(idp, thief, tokens["refresh_token"]) == {"active": False}
