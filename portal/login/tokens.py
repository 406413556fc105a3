"""The sign-in's access token, sealed (Fernet) before it is stored with the portal session.

A database dump then yields no usable bearer token; the key is derived from the portal secret
for this purpose only. The IdP's own lifetime (10 minutes by default) still bounds its use.
"""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet, InvalidToken
from sqlalchemy.orm import Session

from portal.errors import SignInRequiredError
from portal.login.sessions import find_login_session

PURPOSE = "access-token"


def seal_access_token(token: str, *, key: bytes) -> str | None:
    if not token:
        return None
    return Fernet(base64.urlsafe_b64encode(key)).encrypt(token.encode()).decode("ascii")


def open_access_token(sealed: str | None, *, key: bytes) -> str:
    """The access token; SignInRequiredError if there is none or it does not unseal."""
    if not sealed:
        raise SignInRequiredError("sign in again to use this service")
    try:
        return Fernet(base64.urlsafe_b64encode(key)).decrypt(sealed.encode()).decode()
    except (InvalidToken, ValueError) as exc:
        raise SignInRequiredError("sign in again to use this service") from exc


def session_access_token(db: Session, *, session_id: str, key: bytes, now: int) -> str:
    """The access token of the signed-in session behind ``session_id``."""
    row = find_login_session(db, session_id=session_id, now=now)
    return open_access_token(row.access_token if row is not None else None, key=key)
