"""Client authentication at the token, introspection and revocation endpoints.

client_secret_basic (RFC 6749 2.3.1) and private_key_jwt (RFC 7523 2.2, OIDC Core 9).
Every failure is the same opaque invalid_client, so attackers learn nothing.
"""

from __future__ import annotations

import base64
import binascii
import logging
from collections.abc import Mapping
from urllib.parse import unquote_plus

from sqlalchemy.orm import Session

from idp.oidc.clients import get_client, secret_matches
from idp.oidc.errors import InvalidClientError, InvalidRequestError
from idp.oidc.jose import ASYMMETRIC_ALGORITHMS, JwtRejectedError, parse_key_set, unverified_claims
from idp.oidc.jose import verify as verify_jwt
from idp.oidc.models import Client
from idp.oidc.provider import Provider
from idp.oidc.replay import ReplayedError

ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
log = logging.getLogger("idp.oidc.client_auth")


def authenticate_client(
    session: Session,
    provider: Provider,
    *,
    authorization: str | None,
    form: Mapping[str, str],
    endpoint: str,
) -> Client:
    """The client that authenticated this request; raises InvalidClientError."""
    has_basic = bool(authorization and authorization[:6].lower() == "basic ")
    has_assertion = "client_assertion" in form or "client_assertion_type" in form
    if (has_basic and has_assertion) or "client_secret" in form:
        raise InvalidRequestError("use exactly one client authentication method")
    if has_basic and authorization:
        return _basic(session, authorization[6:].strip())
    if has_assertion:
        return _private_key_jwt(session, provider, form=form, endpoint=endpoint)
    raise InvalidClientError("client authentication is required")


def _basic(session: Session, credentials: str) -> Client:
    try:
        decoded = base64.b64decode(credentials, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError) as exc:
        raise InvalidClientError("malformed Basic credentials") from exc
    client_id, sep, secret = decoded.partition(":")
    client = get_client(session, unquote_plus(client_id))
    if (
        not sep
        or client is None
        or client.auth_method != "client_secret_basic"
        or not secret_matches(client, unquote_plus(secret))
    ):
        raise InvalidClientError("client authentication failed")
    return client


def _private_key_jwt(
    session: Session, provider: Provider, *, form: Mapping[str, str], endpoint: str
) -> Client:
    assertion = form.get("client_assertion", "")
    if form.get("client_assertion_type") != ASSERTION_TYPE or not assertion:
        raise InvalidClientError("client_assertion_type must be jwt-bearer with an assertion")
    failure = InvalidClientError("client authentication failed")
    try:
        claimed = unverified_claims(assertion).get("sub")
    except JwtRejectedError as exc:
        raise failure from exc
    client = get_client(session, claimed) if isinstance(claimed, str) else None
    if client is None or client.auth_method != "private_key_jwt" or not client.jwks:
        raise failure
    if form.get("client_id", client.client_id) != client.client_id:
        raise failure
    now = provider.now()
    audiences = {provider.url("token_endpoint"), provider.issuer, provider.url(endpoint)}
    try:
        claims = verify_jwt(
            assertion,
            keys=parse_key_set(client.jwks),
            algorithms=ASYMMETRIC_ALGORITHMS,
            issuer=client.client_id,
            audiences=audiences,
            now=now,
            leeway=provider.lifetimes.leeway,
            required=("sub", "exp", "jti"),
        )
    except JwtRejectedError as exc:
        log.info("client assertion rejected", extra={"reason": exc.message})
        raise failure from exc
    exp, jti = claims["exp"], claims["jti"]
    if claims["sub"] != client.client_id or not isinstance(jti, str) or len(jti) > 255:
        raise failure
    if exp > now + provider.lifetimes.client_assertion + provider.lifetimes.leeway:
        raise InvalidClientError("client assertion lives too long")
    try:
        provider.replay.consume(
            session,
            client_id=client.client_id,
            jti=jti,
            expires_at=int(exp) + provider.lifetimes.leeway,
            now=now,
        )
    except ReplayedError as exc:
        log.info("client assertion replayed")
        raise failure from exc
    return client
