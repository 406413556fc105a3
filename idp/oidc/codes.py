"""Authorization codes: short-lived, single use, bound to client, redirect URI and PKCE.

A second redemption revokes everything issued from the first (RFC 6749 4.1.2, 10.5).
"""

from __future__ import annotations

import secrets

from sqlalchemy import update
from sqlalchemy.orm import Session

from idp.oidc import pkce
from idp.oidc.errors import InvalidGrantError
from idp.oidc.models import AuthorizationCode, Client, Grant
from idp.oidc.provider import Provider
from idp.oidc.tokens import revoke_grant, sha256_hex


def issue_code(
    session: Session,
    provider: Provider,
    *,
    grant: Grant,
    redirect_uri: str,
    code_challenge: str,
    nonce: str | None,
) -> str:
    code = secrets.token_urlsafe(32)
    session.add(
        AuthorizationCode(
            code_hash=sha256_hex(code),
            grant_id=grant.id,
            redirect_uri=redirect_uri,
            code_challenge=code_challenge,
            nonce=nonce,
            expires_at=provider.now() + provider.lifetimes.code,
        )
    )
    session.flush()
    return code


def redeem_code(
    session: Session,
    provider: Provider,
    *,
    client: Client,
    code: str,
    redirect_uri: str | None,
    code_verifier: str | None,
) -> tuple[Grant, AuthorizationCode]:
    """The grant behind ``code``; the code is spent even when a later check fails."""
    now = provider.now()
    code_hash = sha256_hex(code)
    row = session.get(AuthorizationCode, code_hash) if code else None
    if row is None:
        raise InvalidGrantError("unknown authorization code")
    spent = session.execute(
        update(AuthorizationCode)
        .where(AuthorizationCode.code_hash == code_hash, AuthorizationCode.used_at.is_(None))
        .values(used_at=now)
        .returning(AuthorizationCode.code_hash)
        .execution_options(synchronize_session=False)
    ).first()
    if spent is None:
        revoke_grant(session, grant_id=row.grant_id, now=now)
        raise InvalidGrantError("authorization code already used; its tokens are revoked")
    grant = session.get(Grant, row.grant_id)
    if grant is None or grant.revoked_at is not None or grant.client_id != client.client_id:
        raise InvalidGrantError("authorization code was not issued to this client")
    if row.expires_at <= now:
        raise InvalidGrantError("authorization code expired")
    if redirect_uri != row.redirect_uri:
        raise InvalidGrantError("redirect_uri differs from the authorization request")
    pkce.verify(verifier=code_verifier, challenge=row.code_challenge)
    return grant, row
