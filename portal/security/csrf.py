"""CSRF protection: every state-changing request carries a token bound to the session cookie.

The token is HMAC-SHA256(key, session id): a synchronizer token that needs no server state
(OWASP CSRF cheat sheet, "signed double-submit cookie"). The middleware checks every method
other than GET, HEAD and OPTIONS before any route runs, so a new form cannot forget it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Callable
from urllib.parse import urlsplit

from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from portal.errors import CsrfError, PortalError, RequestTooLargeError
from portal.security.sessions import SCOPE_KEY

CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
MAX_FORM_BYTES = 256 * 1024

Refuse = Callable[[Request, PortalError], Response]


def csrf_token(*, key: bytes, session_id: str) -> str:
    """The token forms of this session carry in their hidden ``csrf_token`` field."""
    digest = hmac.new(key, b"csrf\x00" + session_id.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def verify_csrf_token(*, key: bytes, session_id: str | None, presented: str | None) -> None:
    """Raise CsrfError unless ``presented`` is this session's token (constant-time compare)."""
    if not session_id or not presented:
        raise CsrfError()
    expected = csrf_token(key=key, session_id=session_id)
    if not hmac.compare_digest(expected.encode(), presented.encode("utf-8", "replace")):
        raise CsrfError()


def verify_origin(headers: Headers) -> None:
    """Defence in depth besides the token: refuse requests a browser marks as cross-site.

    ``Origin`` (RFC 6454) is ``null`` on our own forms because of ``Referrer-Policy:
    no-referrer`` (Fetch standard), so only a different concrete origin is refused there;
    ``Sec-Fetch-Site`` (Fetch Metadata) is reliable and refused unless same-origin or none.
    """
    origin = headers.get("origin")
    if origin and origin != "null":
        if urlsplit(origin).netloc.lower() != headers.get("host", "").lower():
            raise CsrfError()
    if headers.get("sec-fetch-site", "same-origin") not in ("same-origin", "none"):
        raise CsrfError()


class CsrfMiddleware:
    """Refuses unsafe requests whose form field or ``X-CSRF-Token`` header is not valid."""

    def __init__(self, app: ASGIApp, *, key: bytes, refuse: Refuse) -> None:
        self.app = app
        self.key = key
        self.refuse = refuse

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in SAFE_METHODS:
            await self.app(scope, receive, send)
            return
        try:
            body = await _read_body(receive)
            replay = _replay(body)
            verify_origin(Headers(scope=scope))
            presented = await _presented_token(scope, replay)
            verify_csrf_token(key=self.key, session_id=scope.get(SCOPE_KEY), presented=presented)
        except PortalError as exc:
            response = self.refuse(Request(scope), exc)
            await response(scope, receive, send)
            return
        await self.app(scope, _replay(body), send)


async def _read_body(receive: Receive) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_FORM_BYTES:
            raise RequestTooLargeError()
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def _replay(body: bytes) -> Receive:
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return receive


async def _presented_token(scope: Scope, receive: Receive) -> str | None:
    request = Request(scope, receive)
    header = request.headers.get(CSRF_HEADER)
    if header:
        return header
    content_type = request.headers.get("content-type", "")
    if not content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        return None
    try:
        async with request.form() as form:
            value = form.get(CSRF_FIELD)
    except Exception as exc:  # a malformed body is refused like a missing token
        raise CsrfError() from exc
    return value if isinstance(value, str) else None
