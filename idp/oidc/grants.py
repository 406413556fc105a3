"""The token endpoint's grant types (RFC 6749 4.1.3, 4.4, 6)."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import update
from sqlalchemy.orm import Session

from idp.oidc.codes import redeem_code
from idp.oidc.errors import (
    InvalidGrantError,
    InvalidRequestError,
    InvalidScopeError,
    UnauthorizedClientError,
    UnsupportedGrantTypeError,
)
from idp.oidc.models import Client, Grant, Token
from idp.oidc.provider import Provider
from idp.oidc.tokens import TokenResponse, find_refresh_token, issue_tokens, new_grant, revoke_grant

SUPPORTED = ("authorization_code", "refresh_token", "client_credentials")
USER_ONLY_SCOPES = frozenset({"openid", "offline_access"})


def token_request(
    session: Session, provider: Provider, *, client: Client, form: Mapping[str, str]
) -> TokenResponse:
    """Handle one token request from an authenticated ``client``."""
    grant_type = form.get("grant_type", "")
    if grant_type not in SUPPORTED:
        raise UnsupportedGrantTypeError(f"grant_type {grant_type[:40]!r} is not supported")
    if grant_type not in client.grant_types:
        raise UnauthorizedClientError(f"this client may not use {grant_type}")
    if grant_type == "authorization_code":
        return _authorization_code(session, provider, client=client, form=form)
    if grant_type == "refresh_token":
        return _refresh_token(session, provider, client=client, form=form)
    return _client_credentials(session, provider, client=client, form=form)


def _authorization_code(
    session: Session, provider: Provider, *, client: Client, form: Mapping[str, str]
) -> TokenResponse:
    if not form.get("code"):
        raise InvalidRequestError("code is required")
    grant, code = redeem_code(
        session,
        provider,
        client=client,
        code=form["code"],
        redirect_uri=form.get("redirect_uri"),
        code_verifier=form.get("code_verifier"),
    )
    return issue_tokens(
        session,
        provider,
        grant=grant,
        client=client,
        scope=grant.scope,
        nonce=code.nonce,
        with_refresh="refresh_token" in client.grant_types,
        with_id_token="openid" in grant.scope.split(),
    )


def _refresh_token(
    session: Session, provider: Provider, *, client: Client, form: Mapping[str, str]
) -> TokenResponse:
    """Rotate the refresh token; presenting a spent one revokes the family (BCP 4.14.2)."""
    now = provider.now()
    row = find_refresh_token(session, form.get("refresh_token", ""))
    grant = session.get(Grant, row.grant_id) if row is not None else None
    if row is None or grant is None or grant.client_id != client.client_id:
        raise InvalidGrantError("unknown refresh token")
    rotated = session.execute(
        update(Token)
        .where(Token.id == row.id, Token.used_at.is_(None))
        .values(used_at=now)
        .returning(Token.id)
        .execution_options(synchronize_session=False)
    ).first()
    if rotated is None:
        revoke_grant(session, grant_id=grant.id, now=now)
        raise InvalidGrantError("refresh token already used; the whole grant is revoked")
    if row.revoked_at is not None or grant.revoked_at is not None or row.expires_at <= now:
        raise InvalidGrantError("refresh token expired or revoked")
    scope = row.scope
    if form.get("scope"):
        requested = form["scope"].split()
        if not set(requested) <= set(row.scope.split()):
            raise InvalidScopeError("a refresh may only narrow the original scope")
        scope = " ".join(requested)
    return issue_tokens(
        session,
        provider,
        grant=grant,
        client=client,
        scope=scope,
        with_refresh=True,
        with_id_token="openid" in scope.split(),
    )


def _client_credentials(
    session: Session, provider: Provider, *, client: Client, form: Mapping[str, str]
) -> TokenResponse:
    """A ministry system acting for itself: scopes from the client's allowed scopes (4.4)."""
    allowed = [scope for scope in client.scopes if scope not in USER_ONLY_SCOPES]
    requested = form["scope"].split() if form.get("scope") else allowed
    if not requested or not set(requested) <= set(allowed):
        raise InvalidScopeError("requested scope is not allowed for this client")
    scope = " ".join(dict.fromkeys(requested))
    grant = new_grant(
        session, client=client, subject=client.client_id, scope=scope, now=provider.now()
    )
    return issue_tokens(session, provider, grant=grant, client=client, scope=scope)
