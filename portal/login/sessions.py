"""Signed-in sessions: created after a verified sign-in, found by the session cookie, ended.

The row is keyed by SHA-256 of the cookie value, so a database dump cannot be replayed as a
cookie. The cookie value itself is rotated on sign-in and sign-out (no session fixation).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from fastapi import Request
from sqlalchemy import delete
from sqlalchemy.orm import Session

from onedoor.runtime import Runtime
from portal.errors import SignInError
from portal.login.models import PortalLoginSession
from portal.oidc.relying_party import SignedIn
from portal.security.sessions import session_id

SESSION_TTL = 8 * 3600
_CACHE = "onedoor_portal_user"
_ABSENT = object()


@dataclass(frozen=True)
class SignedInUser:
    """Who is signed in; ``person_id`` is the citizen's identifier, never shown in a URL."""

    subject: str
    kind: str
    name: str
    person_id: str | None
    assurance: str | None
    centre: str | None
    acr: str | None
    auth_time: int

    def __repr__(self) -> str:
        return f"SignedInUser(kind={self.kind!r}, subject=***)"


def hash_session_id(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def _text(claims: dict[str, Any], name: str, limit: int) -> str | None:
    value = claims.get(name)
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > limit:
        raise SignInError(f"the {name} claim is not usable")
    return value


def start_login_session(
    db: Session, *, session_id: str, signed_in: SignedIn, now: int, ttl: int = SESSION_TTL,
    sealed_access_token: str | None = None,
) -> SignedInUser:
    """Record who signed in behind ``session_id`` (a freshly rotated cookie value)."""
    info = signed_in.userinfo
    kind = _text(info, "onedoor_account_kind", 32)
    if kind is None:
        raise SignInError("the identity provider did not release the account kind")
    auth_time = signed_in.claims.get("auth_time", now)
    row = PortalLoginSession(
        id_hash=hash_session_id(session_id),
        subject=str(signed_in.claims["sub"]),
        account_kind=kind,
        display_name=_text(info, "name", 200) or _text(info, "preferred_username", 200) or "",
        person_id=_text(info, "onedoor_person_id", 64),
        assurance=_text(info, "onedoor_assurance", 32),
        centre=_text(info, "onedoor_centre", 32),
        acr=_text(signed_in.claims, "acr", 100),
        id_token=signed_in.id_token,
        access_token=sealed_access_token,
        auth_time=int(auth_time) if isinstance(auth_time, int) else now,
        created_at=now,
        expires_at=now + ttl,
    )
    db.add(row)
    db.flush()
    return _user(row)


def find_login_session(db: Session, *, session_id: str, now: int) -> PortalLoginSession | None:
    row = db.get(PortalLoginSession, hash_session_id(session_id))
    return row if row is not None and row.expires_at > now else None


def end_login_session(db: Session, *, session_id: str) -> str | None:
    """Forget the session; returns its ID token (the logout hint) if there was one."""
    row = db.get(PortalLoginSession, hash_session_id(session_id))
    if row is None:
        return None
    id_token = row.id_token
    db.delete(row)
    db.flush()
    return id_token


def purge_expired(db: Session, *, now: int) -> None:
    db.execute(delete(PortalLoginSession).where(PortalLoginSession.expires_at <= now))


def _user(row: PortalLoginSession) -> SignedInUser:
    return SignedInUser(
        subject=row.subject, kind=row.account_kind, name=row.display_name,
        person_id=row.person_id, assurance=row.assurance, centre=row.centre, acr=row.acr,
        auth_time=row.auth_time,
    )


def signed_in_user(request: Request, *, now: int) -> SignedInUser | None:
    """The user behind this request's session cookie (looked up once per request)."""
    cached = getattr(request.state, _CACHE, _ABSENT)
    if cached is not _ABSENT:
        return cached  # type: ignore[return-value]
    runtime: Runtime = request.app.state.runtime
    with runtime.sessions() as db:
        row = find_login_session(db, session_id=session_id(request), now=now)
        user = _user(row) if row is not None else None
    setattr(request.state, _CACHE, user)
    return user


def forget_cached_user(request: Request, user: SignedInUser | None = None) -> None:
    setattr(request.state, _CACHE, user)
