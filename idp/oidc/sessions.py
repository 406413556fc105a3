"""Browser sessions and pending logins, both in the database so any replica can continue them.

The session cookie holds a random id; the table keeps only its SHA-256. Forms carry a CSRF
token that must equal the CSRF cookie (double submit) and hash to the value stored with the
interaction, which also binds the interaction to the browser that started it.
"""

from __future__ import annotations

import hmac
import secrets
from typing import Any

from sqlalchemy import delete
from sqlalchemy.orm import Session

from idp.oidc.authenticator import AuthResult
from idp.oidc.models import BrowserSession, Interaction
from idp.oidc.provider import Provider
from idp.oidc.tokens import sha256_hex
from onedoor.errors import OneDoorError

SESSION_COOKIE = "onedoor_idp_session"
CSRF_COOKIE = "onedoor_idp_csrf"


class InteractionExpiredError(OneDoorError):
    """This login page expired or belongs to another browser; start again from the service."""

    code = "interaction_expired"
    http_status = 400


def current_session(
    session: Session, provider: Provider, cookie: str | None
) -> BrowserSession | None:
    """The live session named by the cookie, or None."""
    if not cookie or len(cookie) > 100:
        return None
    row = session.get(BrowserSession, sha256_hex(cookie))
    if row is None or row.expires_at <= provider.now():
        return None
    return row


def start_session(
    session: Session, provider: Provider, *, result: AuthResult, replaces: BrowserSession | None
) -> tuple[str, BrowserSession]:
    """A fresh session id after every authentication (no session fixation); returns the cookie."""
    if replaces is not None:
        session.delete(replaces)
        session.flush()
    now = provider.now()
    raw = secrets.token_urlsafe(32)
    row = BrowserSession(
        id_hash=sha256_hex(raw),
        sid=secrets.token_urlsafe(18),
        subject=result.subject,
        acr=result.acr,
        amr=list(dict.fromkeys(result.amr)),
        auth_time=int(result.auth_time.timestamp()),
        created_at=now,
        expires_at=now + provider.lifetimes.session,
    )
    session.add(row)
    session.flush()
    return raw, row


def end_session(session: Session, *, row: BrowserSession) -> None:
    session.delete(row)
    session.flush()


def csrf_token_for(cookie: str | None) -> str:
    """The browser's CSRF token: the existing cookie value or a new one."""
    if cookie and 20 <= len(cookie) <= 100:
        return cookie
    return secrets.token_urlsafe(32)


def begin_interaction(
    session: Session,
    provider: Provider,
    *,
    request: dict[str, Any],
    stage: str,
    csrf_token: str,
    first_factor: dict[str, Any] | None = None,
) -> Interaction:
    now = provider.now()
    session.execute(delete(Interaction).where(Interaction.expires_at < now))
    row = Interaction(
        id=secrets.token_urlsafe(24),
        csrf_hash=sha256_hex(csrf_token),
        request=request,
        stage=stage,
        first_factor=first_factor,
        expires_at=now + provider.lifetimes.interaction,
    )
    session.add(row)
    session.flush()
    return row


def load_interaction(
    session: Session,
    provider: Provider,
    *,
    interaction_id: str,
    stage: str,
    csrf_cookie: str | None,
    csrf_form: str | None = None,
    check_form: bool = True,
) -> Interaction:
    """The pending interaction for this browser; raises InteractionExpiredError."""
    row = session.get(Interaction, interaction_id) if 0 < len(interaction_id) <= 64 else None
    if row is None or row.expires_at <= provider.now() or row.stage != stage or not csrf_cookie:
        raise InteractionExpiredError()
    if not hmac.compare_digest(sha256_hex(csrf_cookie), row.csrf_hash):
        raise InteractionExpiredError()
    if check_form and not hmac.compare_digest(csrf_form or "", csrf_cookie):
        raise InteractionExpiredError()
    return row
