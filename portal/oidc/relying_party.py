"""The back channel of a sign-in: code for tokens, ID token check, UserInfo (OIDC Core 3.1.3).

Calls go over HTTP (httpx) to the provider's public endpoints, also when the provider runs in
the same process (the demo): the route calling them runs in a worker thread, so the server
keeps serving the provider meanwhile. Every failure is one opaque :class:`SignInError`.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import ECKey, KeySet
from joserfc.jws import extract_compact

from portal.config import OidcClient
from portal.errors import SignInError
from portal.oidc.id_token import validate_id_token

ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
ASSERTION_LIFETIME = 60
TIMEOUT = httpx.Timeout(10.0)
MAX_BODY = 64 * 1024
Clock = Callable[[], float]


@dataclass(frozen=True)
class SignedIn:
    """What a completed sign-in yields: ID token claims, UserInfo claims, the raw ID token and
    the access token (kept server-side, sealed, for the CSC signing API)."""

    claims: dict[str, Any]
    userinfo: dict[str, Any]
    id_token: str
    access_token: str = field(default="", repr=False)


class RelyingParty:
    """Redeems authorization codes for one registered client."""

    def __init__(
        self,
        client: OidcClient,
        *,
        key: Callable[[], ECKey],
        http: httpx.Client | None = None,
        clock: Clock = time.time,
    ) -> None:
        self.client = client
        self._key_loader = key
        self._key: ECKey | None = None
        self._http = http or httpx.Client(timeout=TIMEOUT, follow_redirects=False)
        self._clock = clock
        self._jwks: KeySet | None = None
        self._lock = threading.Lock()

    def now(self) -> int:
        return int(self._clock())

    def client_assertion(self) -> str:
        """A one-use JWT signed with the portal's key (RFC 7523 section 3, OIDC Core 9)."""
        with self._lock:
            if self._key is None:
                self._key = self._key_loader()
            key = self._key
        now = self.now()
        claims = {
            "iss": self.client.client_id, "sub": self.client.client_id,
            "aud": self.client.token_endpoint, "jti": secrets.token_urlsafe(24),
            "iat": now, "exp": now + ASSERTION_LIFETIME,
        }
        return jwt.encode({"alg": "ES256", "kid": key.kid}, claims, key, algorithms=["ES256"])

    def redeem(self, *, code: str, code_verifier: str, nonce: str) -> SignedIn:
        """Exchange ``code`` (RFC 6749 4.1.3, RFC 7636 4.5), then validate and fetch claims."""
        tokens = self._json(
            "POST", self.client.token_endpoint,
            data={
                "grant_type": "authorization_code", "code": code,
                "redirect_uri": self.client.redirect_uri, "code_verifier": code_verifier,
                "client_id": self.client.client_id,
                "client_assertion_type": ASSERTION_TYPE,
                "client_assertion": self.client_assertion(),
            },
        )
        id_token, access_token = tokens.get("id_token"), tokens.get("access_token")
        if not isinstance(id_token, str) or not isinstance(access_token, str):
            raise SignInError("the token response lacks an ID token or access token")
        if str(tokens.get("token_type", "")).lower() != "bearer":
            raise SignInError("the token response is not a Bearer token")
        claims = validate_id_token(
            id_token, keys=self._keys_for(id_token), issuer=self.client.issuer,
            client_id=self.client.client_id, nonce=nonce, access_token=access_token,
            now=self.now(),
        )
        userinfo = self._json(
            "GET", self.client.userinfo_endpoint,
            headers={"authorization": f"Bearer {access_token}"},
        )
        if userinfo.get("sub") != claims["sub"]:  # OIDC Core 5.3.2: must match the ID token
            raise SignInError("UserInfo is about another subject")
        return SignedIn(
            claims=claims, userinfo=userinfo, id_token=id_token, access_token=access_token
        )

    def _keys_for(self, token: str) -> KeySet:
        """The provider's JWK Set, fetched again once when the token names an unknown key."""
        try:
            kid = extract_compact(token.encode("ascii")).headers().get("kid")
        except (JoseError, ValueError, UnicodeError) as exc:
            raise SignInError("the ID token is malformed") from exc
        with self._lock:
            cached = self._jwks
        if cached is not None and (kid is None or _has_kid(cached, kid)):
            return cached
        document = self._json("GET", self.client.jwks_uri)
        try:
            fresh = KeySet.import_key_set({"keys": document["keys"]})
        except (JoseError, KeyError, TypeError, ValueError) as exc:
            raise SignInError("the provider's JWK Set is not usable") from exc
        with self._lock:
            self._jwks = fresh
        return fresh

    def _json(self, method: str, url: str, **kwargs: Any) -> dict[str, Any]:
        try:
            response = self._http.request(method, url, **kwargs)
        except httpx.HTTPError as exc:
            reason = type(exc).__name__
            raise SignInError(f"the identity provider is unreachable ({reason})") from exc
        if response.status_code != 200 or len(response.content) > MAX_BODY:
            raise SignInError(f"the identity provider answered {response.status_code}")
        try:
            body = response.json()
        except ValueError as exc:
            raise SignInError("the identity provider did not answer JSON") from exc
        if not isinstance(body, dict):
            raise SignInError("the identity provider did not answer a JSON object")
        return body

    def close(self) -> None:
        self._http.close()


def _has_kid(keys: KeySet, kid: str) -> bool:
    return any(key.kid == kid for key in keys.keys)
