"""Token introspection (RFC 7662) and revocation (RFC 7009)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from idp.oidc.errors import InvalidTokenError
from idp.oidc.models import Client, Grant, Token
from idp.oidc.provider import Provider
from idp.oidc.tokens import find_refresh_token, revoke_grant, verify_access_token

INACTIVE: dict[str, Any] = {"active": False}


def may_introspect(caller: Client, *, owner: str, refresh: bool) -> bool:
    """Whether ``caller`` may learn about a token issued to ``owner`` (RFC 7662 4).

    A client sees its own tokens; a resource server also the access tokens of the clients
    it was registered for. Refresh tokens are bound to their client (RFC 6749 6).
    """
    if caller.client_id == owner:
        return True
    return not refresh and owner in caller.introspects_for


def introspect(
    session: Session, provider: Provider, *, client: Client, token: str
) -> dict[str, Any]:
    """RFC 7662 2.2: active, and its metadata, only for a token ``client`` may see."""
    if "." in token:
        try:
            active = verify_access_token(session, provider, token)
        except InvalidTokenError:
            return INACTIVE
        if not may_introspect(client, owner=active.grant.client_id, refresh=False):
            return INACTIVE
        claims = active.claims
        names = ("scope", "client_id", "sub", "exp", "iat", "iss", "aud", "jti")
        body: dict[str, Any] = {key: claims[key] for key in names if key in claims}
        return {"active": True, "token_type": "Bearer", **body}
    row = find_refresh_token(session, token)
    grant = session.get(Grant, row.grant_id) if row is not None else None
    now = provider.now()
    if (
        row is None
        or grant is None
        or row.revoked_at is not None
        or row.used_at is not None
        or grant.revoked_at is not None
        or row.expires_at <= now
        or not may_introspect(client, owner=grant.client_id, refresh=True)
    ):
        return INACTIVE
    return {
        "active": True,
        "token_type": "refresh_token",
        "scope": row.scope,
        "client_id": grant.client_id,
        "sub": grant.subject,
        "exp": row.expires_at,
        "iat": row.issued_at,
        "iss": provider.issuer,
    }


def revoke(session: Session, provider: Provider, *, client: Client, token: str) -> None:
    """RFC 7009 2.1: revoke a token of ``client``; a refresh token takes its grant with it.

    Unknown tokens and tokens of other clients are ignored, so the answer reveals nothing.
    """
    now = provider.now()
    if "." in token:
        try:
            active = verify_access_token(session, provider, token)
        except InvalidTokenError:
            return
        if active.grant.client_id == client.client_id:
            row = session.get(Token, str(active.claims["jti"]))
            if row is not None:
                row.revoked_at = now
        return
    refresh = find_refresh_token(session, token)
    grant = session.get(Grant, refresh.grant_id) if refresh is not None else None
    if grant is not None and grant.client_id == client.client_id:
        revoke_grant(session, grant_id=grant.id, now=now)
