"""Interoperability: Authlib's OAuth 2 client against a real server on a loopback port."""

from __future__ import annotations

import re
import secrets

import httpx
from authlib.integrations.httpx_client import OAuth2Client
from joserfc import jwt
from joserfc.jwk import KeySet

from idp.oidc import acr
from tests.idp.oidc.conftest import PASSWORD, TOTP, LiveIdp

# The live server hashes passwords with production argon2 parameters; a loaded CI machine
# can take longer than httpx's 5 s default for one request.
HTTP_TIMEOUT = 60.0

CALLBACK = "http://127.0.0.1:9/callback"


def _drive_login(browser: httpx.Client, url: str) -> str:
    """Follow the provider's pages like a browser until it redirects to the client."""
    response = browser.get(url)
    while response.status_code == 303 and not response.headers["location"].startswith(CALLBACK):
        response = browser.get(response.headers["location"])
    fields = dict(re.findall(r'name="(ix|csrf)" value="([^"]*)"', response.text))
    action = re.search(r'action="([^"]+)"', response.text)
    assert action, response.text
    response = browser.post(
        action.group(1), data={**fields, "login": "alice", "password": PASSWORD}
    )
    if "/login/code" in response.headers["location"]:
        page = browser.get(response.headers["location"]).text
        fields = dict(re.findall(r'name="(ix|csrf)" value="([^"]*)"', page))
        response = browser.post(
            response.headers["location"].split("?")[0], data={**fields, "code": TOTP}
        )
    location = response.headers["location"]
    assert location.startswith(CALLBACK), location
    return location


def test_authlib_code_flow_with_pkce(live_idp: LiveIdp) -> None:
    registered = live_idp.register(
        grant_types=["authorization_code", "refresh_token"],
        auth_method="client_secret_basic",
        scopes=["openid", "profile"],
        redirect_uris=[CALLBACK],
    )
    metadata = httpx.get(
        f"{live_idp.issuer}/.well-known/openid-configuration", timeout=HTTP_TIMEOUT
    ).json()
    verifier = secrets.token_urlsafe(48)
    nonce = secrets.token_urlsafe(12)
    with (
        OAuth2Client(
            registered.client.client_id,
            registered.secret,
            scope="openid profile",
            redirect_uri=CALLBACK,
            code_challenge_method="S256",
            token_endpoint_auth_method="client_secret_basic",
            timeout=HTTP_TIMEOUT,
        ) as client,
        httpx.Client(timeout=HTTP_TIMEOUT) as browser,
    ):
        url, state = client.create_authorization_url(
            metadata["authorization_endpoint"],
            code_verifier=verifier,
            nonce=nonce,
            acr_values=acr.SUBSTANTIAL,
        )
        callback = _drive_login(browser, url)
        token = client.fetch_token(
            metadata["token_endpoint"],
            authorization_response=callback,
            code_verifier=verifier,
            state=state,
        )
        keys = KeySet.import_key_set(httpx.get(metadata["jwks_uri"], timeout=HTTP_TIMEOUT).json())
        decoded = jwt.decode(token["id_token"], keys, algorithms=["ES256"])
        jwt.JWTClaimsRegistry(
            iss={"essential": True, "value": live_idp.issuer},
            aud={"essential": True, "value": registered.client.client_id},
            nonce={"essential": True, "value": nonce},
            exp={"essential": True},
        ).validate(decoded.claims)
        assert decoded.claims["acr"] == acr.SUBSTANTIAL
        info = client.get(metadata["userinfo_endpoint"]).json()
        assert info["sub"] == decoded.claims["sub"] == "sub-alice"
        refreshed = client.refresh_token(metadata["token_endpoint"])
        assert refreshed["refresh_token"] != token["refresh_token"]
