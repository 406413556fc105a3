"""Grants and the tokens minted from them: JWT access tokens (RFC 9068), refresh tokens, ID tokens.

Every access token's jti and every refresh token's hash is a row, so a revoked token is
reported inactive at once on every replica.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

from idp.oidc.errors import InvalidTokenError
from idp.oidc.jose import JwtRejectedError, half_hash, parse_key_set, sign
from idp.oidc.jose import verify as verify_jwt
from idp.oidc.models import Client, Grant, Token
from idp.oidc.provider import Provider

ACCESS = "access"
REFRESH = "refresh"
ACCESS_TOKEN_TYP = "at+jwt"


def sha256_hex(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


@dataclass(frozen=True)
class TokenResponse:
    """The successful token response (RFC 6749 5.1, OIDC Core 3.1.3.3)."""

    access_token: str
    expires_in: int
    scope: str
    refresh_token: str | None = None
    id_token: str | None = None

    def to_json(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "access_token": self.access_token,
            "token_type": "Bearer",
            "expires_in": self.expires_in,
            "scope": self.scope,
        }
        if self.refresh_token:
            body["refresh_token"] = self.refresh_token
        if self.id_token:
            body["id_token"] = self.id_token
        return body


def new_grant(
    session: Session,
    *,
    client: Client,
    subject: str,
    scope: str,
    now: int,
    acr: str | None = None,
    amr: list[str] | None = None,
    auth_time: int | None = None,
    sid: str | None = None,
) -> Grant:
    grant = Grant(
        id=secrets.token_urlsafe(24),
        client_id=client.client_id,
        subject=subject,
        scope=scope,
        acr=acr,
        amr=list(amr or []),
        auth_time=auth_time,
        sid=sid,
        created_at=now,
    )
    session.add(grant)
    session.flush()
    return grant


def revoke_grant(session: Session, *, grant_id: str, now: int) -> None:
    """Revoke the grant and every token of its family (RFC 6749 10.5, RFC 7009 2.1)."""
    session.execute(
        update(Grant).where(Grant.id == grant_id, Grant.revoked_at.is_(None)).values(revoked_at=now)
    )
    session.execute(
        update(Token)
        .where(Token.grant_id == grant_id, Token.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    session.expire_all()


def issue_tokens(
    session: Session,
    provider: Provider,
    *,
    grant: Grant,
    client: Client,
    scope: str,
    nonce: str | None = None,
    with_refresh: bool = False,
    with_id_token: bool = False,
) -> TokenResponse:
    """An access token, and optionally a refresh token and an ID token, for ``grant``."""
    now = provider.now()
    lifetime = provider.lifetimes.access_token
    jti = secrets.token_urlsafe(24)
    claims: dict[str, Any] = {
        "iss": provider.issuer,
        "sub": grant.subject,
        "aud": provider.issuer,
        "client_id": client.client_id,
        "scope": scope,
        "iat": now,
        "exp": now + lifetime,
        "jti": jti,
    }
    if grant.acr:
        claims.update(acr=grant.acr, amr=grant.amr, auth_time=grant.auth_time)
    key = provider.keys.signing_key(session, alg="ES256", now=now)
    access_token = sign(claims, private=key, typ=ACCESS_TOKEN_TYP)
    session.add(
        Token(id=jti, kind=ACCESS, grant_id=grant.id, scope=scope, issued_at=now,
              expires_at=now + lifetime)
    )
    refresh_token = None
    if with_refresh:
        refresh_token = secrets.token_urlsafe(32)
        session.add(
            Token(id=sha256_hex(refresh_token), kind=REFRESH, grant_id=grant.id, scope=scope,
                  issued_at=now, expires_at=now + provider.lifetimes.refresh_token)
        )
    id_token = None
    if with_id_token:
        id_token = _id_token(session, provider, grant=grant, client=client, nonce=nonce,
                             access_token=access_token)
    session.flush()
    return TokenResponse(access_token, lifetime, scope, refresh_token, id_token)


def _id_token(
    session: Session, provider: Provider, *, grant: Grant, client: Client,
    nonce: str | None, access_token: str,
) -> str:
    """The ID token (OIDC Core 2) with at_hash (3.1.3.6), acr, amr, auth_time and sid."""
    now = provider.now()
    claims: dict[str, Any] = {
        "iss": provider.issuer,
        "sub": grant.subject,
        "aud": client.client_id,
        "iat": now,
        "exp": now + provider.lifetimes.id_token,
        "auth_time": grant.auth_time,
        "acr": grant.acr,
        "amr": grant.amr,
        "at_hash": half_hash(access_token),
    }
    if grant.sid:
        claims["sid"] = grant.sid
    if nonce:
        claims["nonce"] = nonce
    key = provider.keys.signing_key(session, alg=client.id_token_alg, now=now)
    return sign({k: v for k, v in claims.items() if v is not None}, private=key)


def provider_key_set(session: Session, provider: Provider) -> Any:
    return parse_key_set({"keys": provider.keys.published(session, now=provider.now())})


@dataclass(frozen=True)
class ActiveAccessToken:
    claims: dict[str, Any]
    grant: Grant


def verify_access_token(session: Session, provider: Provider, token: str) -> ActiveAccessToken:
    """An access token this provider issued and nobody revoked; raises InvalidTokenError."""
    try:
        claims = verify_jwt(
            token,
            keys=provider_key_set(session, provider),
            algorithms=("ES256",),
            issuer=provider.issuer,
            audiences=(provider.issuer,),
            now=provider.now(),
            typ=ACCESS_TOKEN_TYP,
            required=("exp", "iat", "jti", "sub", "client_id"),
        )
    except JwtRejectedError as exc:
        raise InvalidTokenError("the access token is invalid or expired") from exc
    row = session.get(Token, str(claims["jti"]))
    grant = session.get(Grant, row.grant_id) if row is not None else None
    if row is None or grant is None or row.kind != ACCESS or row.revoked_at is not None:
        raise InvalidTokenError("the access token was revoked")
    if grant.revoked_at is not None:
        raise InvalidTokenError("the access token was revoked")
    return ActiveAccessToken(claims=claims, grant=grant)


def find_refresh_token(session: Session, token: str) -> Token | None:
    row = session.get(Token, sha256_hex(token)) if token else None
    return row if row is not None and row.kind == REFRESH else None
