"""``/login``: off to the IdP's authorization endpoint, or a clear page while not registered."""

from __future__ import annotations

import time
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from portal.login.state import LOGIN_COOKIE, LOGIN_STATE_TTL, new_login_state, seal_login_state
from portal.rendering import get_pages, request_language

router = APIRouter(include_in_schema=False)


@router.get("/login")
def login(request: Request) -> Response:
    """Authorization code flow with PKCE (OIDC Core 3.1.2.1, RFC 7636 section 4.3)."""
    pages = get_pages(request)
    client = pages.config.oidc
    if client is None:
        return pages.render(request, "login_not_configured.html", status_code=503)
    login_state = new_login_state()
    query = urlencode(
        {
            "response_type": "code",
            "client_id": client.client_id,
            "redirect_uri": client.redirect_uri,
            "scope": client.scope,
            "state": login_state.state,
            "nonce": login_state.nonce,
            "code_challenge": login_state.code_challenge,
            "code_challenge_method": "S256",
            "ui_locales": request_language(request),
        }
    )
    separator = "&" if "?" in client.authorization_endpoint else "?"
    response = RedirectResponse(f"{client.authorization_endpoint}{separator}{query}", 303)
    response.set_cookie(
        LOGIN_COOKIE,
        seal_login_state(login_state, key=pages.config.derive_key("login"), now=int(time.time())),
        max_age=LOGIN_STATE_TTL, path="/", httponly=True, samesite="lax",
        secure=pages.config.secure_cookies,
    )
    return response
