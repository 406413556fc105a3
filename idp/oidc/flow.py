"""What the login pages share: one transaction per request, and finishing a login."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import Request
from fastapi.responses import Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from idp.oidc.authenticator import AuthResult
from idp.oidc.authorization import (
    AuthorizationRequest,
    RedirectError,
    complete,
    error_redirect,
)
from idp.oidc.errors import OAuthError
from idp.oidc.language import language_of
from idp.oidc.models import Interaction
from idp.oidc.provider import Provider
from idp.oidc.sessions import (
    CSRF_COOKIE,
    SESSION_COOKIE,
    InteractionExpiredError,
    current_session,
    load_interaction,
    start_session,
)
from idp.oidc.web import (
    form_params,
    message_page,
    provider_of,
    redirect,
    sessions_of,
    set_cookie,
)
from onedoor.db import transaction

Handler = Callable[[Session, Provider], Response]
# A POSTed step of a pending login: (session, provider, interaction, form, csrf cookie).
FormStep = Callable[[Session, Provider, Interaction, dict[str, str], str | None], Response]


async def in_transaction(
    request: Request, handler: Handler, *, ui_locales: str | None = None
) -> Response:
    """Run ``handler`` in one transaction; protocol failures become pages, and still commit."""
    provider = provider_of(request)
    lang = language_of(request, ui_locales=ui_locales)

    def run() -> Response:
        with transaction(sessions_of(request)) as session:
            try:
                return handler(session, provider)
            except RedirectError as exc:
                return redirect(error_redirect(provider, exc))
            except InteractionExpiredError:
                return message_page("interaction_expired", lang=lang)
            except OAuthError as exc:
                return message_page("invalid_request", lang=lang, detail=exc.description)

    return await run_in_threadpool(run)


async def form_step(request: Request, *, stage: str, step: FormStep) -> Response:
    """Parse a login step's form, load its interaction at ``stage`` with the form's CSRF token
    checked against the cookie, then run ``step`` in one transaction."""
    try:
        form = await form_params(request)
    except OAuthError as exc:
        return message_page("invalid_request", lang=language_of(request), detail=exc.description)
    csrf_cookie = request.cookies.get(CSRF_COOKIE)

    def handle(session: Session, provider: Provider) -> Response:
        interaction = load_interaction(
            session, provider, interaction_id=form.get("ix", ""), stage=stage,
            csrf_cookie=csrf_cookie, csrf_form=form.get("csrf"),
        )
        return step(session, provider, interaction, form, csrf_cookie)

    return await in_transaction(request, handle)


def interaction_language(request: Request, interaction: Interaction) -> str:
    """The language of a pending login's pages: its request's ui_locales come first."""
    ui_locales = interaction.request.get("ui_locales")
    return language_of(request, ui_locales=ui_locales if isinstance(ui_locales, str) else None)


def second_step(first: dict[str, object], result: AuthResult) -> AuthResult:
    """The second factor's result, with the first factor's methods kept in ``amr`` (RFC 8176)."""
    earlier = first.get("amr", [])
    methods = [str(method) for method in earlier] if isinstance(earlier, list) else []
    amr = tuple(dict.fromkeys([*methods, *result.amr]))
    return AuthResult(result.subject, result.acr, amr, result.auth_time)


def finish(
    session: Session, provider: Provider, request: Request, interaction: Interaction,
    result: AuthResult,
) -> Response:
    """Start a fresh session, spend the interaction and send the code to the client."""
    old = current_session(session, provider, request.cookies.get(SESSION_COOKIE))
    cookie, browser = start_session(session, provider, result=result, replaces=old)
    auth_request = AuthorizationRequest.from_json(interaction.request)
    session.delete(interaction)
    response = redirect(complete(session, provider, request=auth_request, browser=browser))
    set_cookie(response, provider, SESSION_COOKIE, cookie, max_age=provider.lifetimes.session)
    return response
