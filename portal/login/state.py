"""The state, nonce and PKCE verifier of one sign-in, sealed in a short-lived cookie.

The callback (not built yet) reads them back with :func:`open_login_state` and must compare
``state`` (RFC 6749 section 10.12), send ``code_verifier`` (RFC 7636 section 4.5) and check the
ID token's ``nonce`` (OIDC Core 3.1.3.7).
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
from collections.abc import Callable
from dataclasses import asdict, dataclass

from cryptography.fernet import Fernet, InvalidToken

from portal.errors import CsrfError

LOGIN_COOKIE = "onedoor_portal_login"
LOGIN_STATE_TTL = 600


@dataclass(frozen=True)
class LoginState:
    state: str
    nonce: str
    code_verifier: str

    @property
    def code_challenge(self) -> str:
        """S256 challenge: BASE64URL(SHA256(verifier)) (RFC 7636 section 4.2)."""
        digest = hashlib.sha256(self.code_verifier.encode("ascii")).digest()
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def new_login_state(token: Callable[[int], str] = secrets.token_urlsafe) -> LoginState:
    return LoginState(state=token(32), nonce=token(32), code_verifier=token(48))


def seal_login_state(login: LoginState, *, key: bytes, now: int) -> str:
    """Encrypted and authenticated (Fernet), so the browser can neither read nor alter it."""
    payload = json.dumps(asdict(login)).encode()
    return Fernet(base64.urlsafe_b64encode(key)).encrypt_at_time(payload, now).decode()


def open_login_state(sealed: str | None, *, key: bytes, now: int) -> LoginState:
    """The sealed state if it is authentic and younger than 10 minutes; else CsrfError."""
    if not sealed:
        raise CsrfError("no sign-in in progress")
    try:
        payload = Fernet(base64.urlsafe_b64encode(key)).decrypt_at_time(
            sealed.encode(), LOGIN_STATE_TTL, now
        )
        return LoginState(**json.loads(payload))
    except (InvalidToken, ValueError, TypeError) as exc:
        raise CsrfError("the sign-in expired or was altered") from exc
