"""``/login``, ``/login/callback`` and ``/logout``: the portal as an OpenID Connect client."""

from __future__ import annotations

import hmac
import time
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from onedoor.db import transaction
from onedoor.runtime import Runtime
from portal.errors import CsrfError, SignInError
from portal.login.sessions import (
    end_login_session,
    forget_cached_user,
    purge_expired,
    start_login_session,
)
from portal.login.state import (
    LOGIN_COOKIE,
    LOGIN_STATE_TTL,
    new_login_state,
    open_login_state,
    seal_login_state,
)
from portal.login.tokens import PURPOSE as TOKEN_PURPOSE
from portal.login.tokens import seal_access_token
from portal.oidc.relying_party import RelyingParty
from portal.rendering import get_pages, portal_path, request_language
from portal.security.sessions import rotate_session, session_id

router = APIRouter(include_in_schema=False)
# Where each kind of account lands after signing in.
LANDING = {"citizen": "/citizen/", "officer": "/officer/", "data_protection_officer": "/privacy/"}
MAX_CODE = 512


def relying_party_of(request: Request) -> RelyingParty | None:
    party: RelyingParty | None = getattr(request.app.state, "relying_party", None)
    return party


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


@router.get("/login/callback")
def callback(request: Request) -> Response:
    """The authorization response (RFC 6749 4.1.2): check state, redeem, start the session.

    A plain ``def``: the back-channel calls block a worker thread, never the event loop, so
    a provider served by this same process can answer them.
    """
    pages = get_pages(request)
    party = relying_party_of(request)
    if party is None:
        return pages.render(request, "login_not_configured.html", status_code=503)
    params = request.query_params
    now = int(time.time())
    try:
        expected = open_login_state(
            request.cookies.get(LOGIN_COOKIE), key=pages.config.derive_key("login"), now=now
        )
    except CsrfError as exc:
        raise SignInError("no sign-in in progress, or it expired") from exc
    state = params.get("state", "")
    if not hmac.compare_digest(state.encode(), expected.state.encode()):
        raise SignInError("state does not match this browser's sign-in (RFC 6749 10.12)")
    issuer = params.get("iss")
    if issuer is not None and issuer != party.client.issuer:  # RFC 9207 section 2.4
        raise SignInError("the response comes from another issuer")
    if "error" in params:
        raise SignInError("the identity provider did not sign the user in")
    code = params.get("code", "")
    if not code or len(code) > MAX_CODE:
        raise SignInError("the response has no usable code")
    signed_in = party.redeem(code=code, code_verifier=expected.code_verifier, nonce=expected.nonce)
    runtime: Runtime = request.app.state.runtime
    previous = session_id(request)
    fresh = rotate_session(request)
    with transaction(runtime.sessions) as db:
        end_login_session(db, session_id=previous)
        purge_expired(db, now=now)
        user = start_login_session(
            db, session_id=fresh, signed_in=signed_in, now=now,
            sealed_access_token=seal_access_token(
                signed_in.access_token, key=pages.config.derive_key(TOKEN_PURPOSE)
            ),
        )
    forget_cached_user(request, user)
    response = RedirectResponse(portal_path(request, LANDING.get(user.kind, "/")), 303)
    response.delete_cookie(LOGIN_COOKIE, path="/", secure=pages.config.secure_cookies,
                           httponly=True, samesite="lax")
    return response


@router.post("/logout")
def logout(request: Request) -> Response:
    """End the portal session, then the provider's (RP-Initiated Logout 1.0 section 2)."""
    runtime: Runtime = request.app.state.runtime
    with transaction(runtime.sessions) as db:
        id_token = end_login_session(db, session_id=session_id(request))
    rotate_session(request)
    forget_cached_user(request)
    party = relying_party_of(request)
    target = portal_path(request, "/")
    if party is not None and id_token is not None:
        client = party.client
        query = {"id_token_hint": id_token, "client_id": client.client_id}
        if client.post_logout_redirect_uri:
            query["post_logout_redirect_uri"] = client.post_logout_redirect_uri
        target = f"{client.end_session_endpoint}?{urlencode(query)}"
    return RedirectResponse(target, 303)
