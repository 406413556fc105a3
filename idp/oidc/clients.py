"""Client registration and lookup (OIDC Dynamic Client Registration 1.0 section 2 metadata)."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy.orm import Session

from idp.oidc.jose import JwtRejectedError, parse_key_set
from idp.oidc.keystore import SIGNING_ALGORITHMS
from idp.oidc.models import Client
from onedoor.errors import InvalidRequestError

GRANT_TYPES = ("authorization_code", "refresh_token", "client_credentials")
AUTH_METHODS = ("client_secret_basic", "private_key_jwt")
_SCOPE_TOKEN = re.compile(r"^[\x21\x23-\x5b\x5d-\x7e]+$")
_LOOPBACK = ("127.0.0.1", "localhost", "::1")


class InvalidClientMetadataError(InvalidRequestError):
    """The client metadata is invalid (RFC 7591 3.2.2)."""

    code = "invalid_client_metadata"


@dataclass(frozen=True)
class RegisteredClient:
    """A new client and its secret, shown once and stored only hashed."""

    client: Client
    secret: str | None


def hash_secret(secret: str) -> str:
    # Secrets are 256-bit random values, so a fast hash is enough (unlike passwords).
    return hashlib.sha256(secret.encode()).hexdigest()


def secret_matches(client: Client, secret: str) -> bool:
    expected = client.secret_hash or ""
    return hmac.compare_digest(hash_secret(secret), expected) and bool(expected)


def check_redirect_uri(uri: str) -> str:
    """An absolute https URI, or http on loopback, without fragment (RFC 6749 3.1.2)."""
    parts = urlsplit(uri)
    loopback_http = parts.scheme == "http" and parts.hostname in _LOOPBACK
    if not (parts.scheme == "https" or loopback_http) or not parts.netloc or parts.fragment:
        raise InvalidClientMetadataError(
            f"redirect URI {uri!r} must be https (or http on loopback) without a fragment"
        )
    return uri


def register_client(
    session: Session,
    *,
    name: str,
    grant_types: Sequence[str],
    auth_method: str,
    scopes: Sequence[str],
    now: int,
    redirect_uris: Sequence[str] = (),
    post_logout_redirect_uris: Sequence[str] = (),
    jwks: Mapping[str, Any] | None = None,
    id_token_alg: str = "ES256",
    introspects_for: Sequence[str] = (),
) -> RegisteredClient:
    """Validate metadata and store a client; a secret is generated for client_secret_basic.

    ``introspects_for`` makes the client a resource server that may introspect the access
    tokens of those clients; every other client sees only its own tokens (RFC 7662 4).
    """
    if not name.strip():
        raise InvalidClientMetadataError("client name is empty")
    if not grant_types or any(grant not in GRANT_TYPES for grant in grant_types):
        raise InvalidClientMetadataError(f"grant types must be among {', '.join(GRANT_TYPES)}")
    if "refresh_token" in grant_types and "authorization_code" not in grant_types:
        raise InvalidClientMetadataError("refresh_token needs the authorization_code grant")
    if auth_method not in AUTH_METHODS:
        raise InvalidClientMetadataError(f"auth method must be one of {', '.join(AUTH_METHODS)}")
    if id_token_alg not in SIGNING_ALGORITHMS:
        raise InvalidClientMetadataError("id_token_signed_response_alg must be ES256 or RS256")
    if "authorization_code" in grant_types and not redirect_uris:
        raise InvalidClientMetadataError("the authorization_code grant needs a redirect URI")
    for uri in (*redirect_uris, *post_logout_redirect_uris):
        check_redirect_uri(uri)
    if any(not _SCOPE_TOKEN.match(scope) for scope in scopes):
        raise InvalidClientMetadataError("a scope contains characters RFC 6749 3.3 forbids")
    if any(not client_id or len(client_id) > 64 for client_id in introspects_for):
        raise InvalidClientMetadataError("introspects_for must list client ids")
    secret: str | None = None
    if auth_method == "private_key_jwt":
        jwks = _public_jwks(jwks)
    else:
        jwks = None
        secret = secrets.token_urlsafe(32)
    client = Client(
        client_id=secrets.token_urlsafe(18),
        name=name.strip(),
        redirect_uris=list(redirect_uris),
        post_logout_redirect_uris=list(post_logout_redirect_uris),
        grant_types=list(grant_types),
        auth_method=auth_method,
        secret_hash=hash_secret(secret) if secret else None,
        jwks=dict(jwks) if jwks else None,
        scopes=list(dict.fromkeys(scopes)),
        id_token_alg=id_token_alg,
        created_at=now,
        disabled=False,
        introspects_for=list(dict.fromkeys(introspects_for)),
    )
    session.add(client)
    session.flush()
    return RegisteredClient(client=client, secret=secret)


def _public_jwks(jwks: Mapping[str, Any] | None) -> Mapping[str, Any]:
    if jwks is None:
        raise InvalidClientMetadataError("private_key_jwt needs the client's JWK Set")
    try:
        parse_key_set(jwks)
    except JwtRejectedError as exc:
        raise InvalidClientMetadataError("jwks is not a usable JWK Set") from exc
    keys = jwks["keys"]
    if any(not isinstance(key, dict) or "d" in key or key.get("kty") == "oct" for key in keys):
        raise InvalidClientMetadataError("jwks must hold only public asymmetric keys")
    return jwks


def get_client(session: Session, client_id: str) -> Client | None:
    """The enabled client ``client_id``, or None."""
    if not client_id or len(client_id) > 64:
        return None
    client = session.get(Client, client_id)
    return client if client is not None and not client.disabled else None
