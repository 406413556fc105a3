"""The authorization endpoint's request checks and decisions (RFC 6749 4.1.1, OIDC Core 3.1.2)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any, Literal
from urllib.parse import urlencode

from sqlalchemy.orm import Session

from idp.oidc import acr, pkce
from idp.oidc.clients import get_client
from idp.oidc.codes import issue_code
from idp.oidc.errors import (
    InvalidRedirectError,
    InvalidRequestError,
    InvalidScopeError,
    LoginRequiredError,
    OAuthError,
    RequestNotSupportedError,
    UnauthorizedClientError,
    UnsupportedResponseTypeError,
)
from idp.oidc.language import from_ui_locales
from idp.oidc.models import BrowserSession
from idp.oidc.provider import Provider
from idp.oidc.tokens import new_grant

Step = Literal["login", "second_factor", "issue"]
PROMPTS = frozenset({"none", "login", "consent", "select_account"})


@dataclass(frozen=True)
class AuthorizationRequest:
    """A validated authorization request, kept in the interaction while the user logs in."""

    client_id: str
    redirect_uri: str
    scope: str
    state: str | None
    nonce: str | None
    code_challenge: str
    prompt: tuple[str, ...]
    max_age: int | None
    acr: str | None
    ui_locales: str | None = None  # the supported language it asked for (OIDC Core 3.1.2.1)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> AuthorizationRequest:
        return cls(**{**data, "prompt": tuple(data["prompt"])})


class RedirectError(Exception):
    """An OAuth error to send back to a registered redirect URI (RFC 6749 4.1.2.1)."""

    def __init__(self, error: OAuthError, *, redirect_uri: str, state: str | None) -> None:
        super().__init__(error.description)
        self.error, self.redirect_uri, self.state = error, redirect_uri, state


def redirect_url(redirect_uri: str, params: Mapping[str, str | None]) -> str:
    query = urlencode({key: value for key, value in params.items() if value is not None})
    return f"{redirect_uri}{'&' if '?' in redirect_uri else '?'}{query}"


def error_redirect(provider: Provider, exc: RedirectError) -> str:
    return redirect_url(
        exc.redirect_uri,
        {"error": exc.error.error, "error_description": exc.error.description,
         "state": exc.state, "iss": provider.issuer},
    )


def parse_request(session: Session, params: Mapping[str, str]) -> AuthorizationRequest:
    """Validate; errors before the redirect URI is trusted raise InvalidRedirectError."""
    client = get_client(session, params.get("client_id", ""))
    if client is None:
        raise InvalidRedirectError("unknown client_id")
    redirect_uri = params.get("redirect_uri", "")
    if redirect_uri not in client.redirect_uris:
        raise InvalidRedirectError("redirect_uri is not registered for this client")
    state = params.get("state")
    try:
        if "request" in params or "request_uri" in params:
            raise RequestNotSupportedError("request objects are not supported")
        if params.get("response_type") != "code":
            raise UnsupportedResponseTypeError("response_type must be code")
        if params.get("response_mode", "query") != "query":
            raise InvalidRequestError("response_mode must be query")
        if "authorization_code" not in client.grant_types:
            raise UnauthorizedClientError("this client may not use the authorization code grant")
        scopes = params.get("scope", "").split()
        if not scopes or not set(scopes) <= set(client.scopes):
            raise InvalidScopeError("scope is missing or not allowed for this client")
        challenge = pkce.check_challenge(
            params.get("code_challenge"), params.get("code_challenge_method")
        )
        prompt = tuple(params.get("prompt", "").split())
        if not set(prompt) <= PROMPTS or ("none" in prompt and len(prompt) > 1):
            raise InvalidRequestError("prompt has an unsupported or conflicting value")
        max_age = _max_age(params.get("max_age"))
        nonce = params.get("nonce")
        if nonce is not None and len(nonce) > 500:
            raise InvalidRequestError("nonce is too long")
    except OAuthError as exc:
        raise RedirectError(exc, redirect_uri=redirect_uri, state=state) from exc
    return AuthorizationRequest(
        client_id=client.client_id,
        redirect_uri=redirect_uri,
        scope=" ".join(dict.fromkeys(scopes)),
        state=state,
        nonce=nonce,
        code_challenge=challenge,
        prompt=prompt,
        max_age=max_age,
        acr=acr.required_level(params.get("acr_values")),
        ui_locales=from_ui_locales(params.get("ui_locales")),
    )


def _max_age(value: str | None) -> int | None:
    if value is None:
        return None
    if not value.isdigit() or len(value) > 10:
        raise InvalidRequestError("max_age must be a non-negative integer")
    return int(value)


def next_step(
    request: AuthorizationRequest,
    browser: BrowserSession | None,
    *,
    now: int,
    minimum_acr: str | None = None,
) -> Step:
    """What the user must do before a code is issued (prompt, max_age, acr_values)."""
    step: Step = "issue"
    if browser is None or "login" in request.prompt:
        step = "login"
    elif request.max_age is not None and now - browser.auth_time > request.max_age:
        step = "login"
    elif not acr.satisfies(browser.acr, acr.stricter(request.acr, minimum_acr)):
        step = "second_factor"
    if step != "issue" and "none" in request.prompt:
        raise RedirectError(
            LoginRequiredError("the user must authenticate"),
            redirect_uri=request.redirect_uri,
            state=request.state,
        )
    return step


def complete(
    session: Session, provider: Provider, *, request: AuthorizationRequest, browser: BrowserSession
) -> str:
    """Issue a code for the logged-in ``browser`` and return the redirect URL (4.1.2)."""
    client = get_client(session, request.client_id)
    if client is None:
        raise InvalidRedirectError("unknown client_id")
    grant = new_grant(
        session,
        client=client,
        subject=browser.subject,
        scope=request.scope,
        now=provider.now(),
        acr=browser.acr,
        amr=list(browser.amr),
        auth_time=browser.auth_time,
        sid=browser.sid,
    )
    code = issue_code(
        session,
        provider,
        grant=grant,
        redirect_uri=request.redirect_uri,
        code_challenge=request.code_challenge,
        nonce=request.nonce,
    )
    return redirect_url(
        request.redirect_uri, {"code": code, "state": request.state, "iss": provider.issuer}
    )
