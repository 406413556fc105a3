"""The portal session cookie: an opaque random id that CSRF tokens (and later logins) bind to."""

from __future__ import annotations

import base64
import re
import secrets
from collections.abc import Callable

from starlette.requests import Request, cookie_parser
from starlette.types import ASGIApp, Message, Receive, Scope, Send

SCOPE_KEY = "onedoor.portal.session"
_ISSUE_KEY = "onedoor.portal.session.issue"
_SESSION_ID = re.compile(r"\A[A-Za-z0-9_-]{43}\Z")


def session_cookie_name(*, secure: bool) -> str:
    """``__Host-`` pins the cookie to this host over https, so a sibling domain cannot plant one."""
    return "__Host-onedoor_portal" if secure else "onedoor_portal"


def new_session_id(token_bytes: Callable[[int], bytes] = secrets.token_bytes) -> str:
    """256 random bits, base64url without padding (43 characters)."""
    return base64.urlsafe_b64encode(token_bytes(32)).rstrip(b"=").decode()


def session_id(request: Request) -> str:
    """The session id of this request (the middleware guarantees there is one)."""
    value: str = request.scope[SCOPE_KEY]
    return value


def rotate_session(request: Request) -> str:
    """Give the browser a new session id (call on sign-in and sign-out: no session fixation)."""
    fresh = new_session_id()
    request.scope[SCOPE_KEY] = fresh
    request.scope[_ISSUE_KEY] = True
    return fresh


class SessionMiddleware:
    """Reads the session cookie, or issues one: HttpOnly, SameSite=Lax, Secure over https."""

    def __init__(self, app: ASGIApp, *, secure: bool) -> None:
        self.app = app
        self.secure = secure
        self.cookie_name = session_cookie_name(secure=secure)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cookie_header = dict(scope["headers"]).get(b"cookie", b"").decode("latin-1")
        presented = cookie_parser(cookie_header).get(self.cookie_name, "")
        if _SESSION_ID.match(presented):
            scope[SCOPE_KEY] = presented
        else:
            scope[SCOPE_KEY] = new_session_id()
            scope[_ISSUE_KEY] = True

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start" and scope.get(_ISSUE_KEY):
                headers = list(message.get("headers", []))
                headers.append((b"set-cookie", self._cookie(scope[SCOPE_KEY]).encode("latin-1")))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_cookie)

    def _cookie(self, value: str) -> str:
        cookie = f"{self.cookie_name}={value}; Path=/; HttpOnly; SameSite=Lax"
        return cookie + "; Secure" if self.secure else cookie
