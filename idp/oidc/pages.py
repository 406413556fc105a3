"""The browser side: authorization endpoint, login, second factor and logout pages."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from idp.oidc import acr
from idp.oidc.authenticator import AuthenticationFailedError, AuthResult
from idp.oidc.authorization import (
    AuthorizationRequest,
    complete,
    next_step,
    parse_request,
    redirect_url,
)
from idp.oidc.errors import OAuthError
from idp.oidc.flow import (
    Handler,
    finish,
    form_step,
    in_transaction,
    interaction_language,
    second_step,
)
from idp.oidc.language import language_of
from idp.oidc.logout import needs_confirmation, parse_logout
from idp.oidc.models import BrowserSession, Interaction
from idp.oidc.provider import LOGIN_PATH, SECOND_FACTOR_PATH, Provider
from idp.oidc.security_key import router as security_key_router
from idp.oidc.security_key import second_factor_response
from idp.oidc.sessions import (
    CSRF_COOKIE,
    SESSION_COOKIE,
    begin_interaction,
    csrf_token_for,
    current_session,
    end_session,
    load_interaction,
)
from idp.oidc.web import (
    clear_cookie,
    client_address,
    form_params,
    message_page,
    page,
    redirect,
    request_params,
    set_cookie,
)

router = APIRouter(tags=["openid-connect"], include_in_schema=False)
router.include_router(security_key_router)


@router.api_route("/authorize", methods=["GET", "POST"], summary="Authorization endpoint")
async def authorize(request: Request) -> Response:
    try:
        params = await request_params(request)
    except OAuthError as exc:
        return message_page("invalid_request", lang=language_of(request), detail=exc.description)
    cookie = request.cookies.get(SESSION_COOKIE)
    csrf = csrf_token_for(request.cookies.get(CSRF_COOKIE))

    def handle(session: Session, provider: Provider) -> Response:
        auth_request = parse_request(session, params)
        browser = current_session(session, provider, cookie)
        step = next_step(
            auth_request, browser, now=provider.now(), minimum_acr=provider.minimum_acr
        )
        if step == "issue" and browser is not None:
            return redirect(complete(session, provider, request=auth_request, browser=browser))
        first_factor = _as_first_factor(browser) if step == "second_factor" else None
        interaction = begin_interaction(
            session, provider, request=auth_request.to_json(), stage=step, csrf_token=csrf,
            first_factor=first_factor,
        )
        path = LOGIN_PATH if step == "login" else SECOND_FACTOR_PATH
        response = redirect(f"{provider.issuer}{path}?ix={interaction.id}")
        set_cookie(response, provider, CSRF_COOKIE, csrf, max_age=provider.lifetimes.session)
        return response

    return await in_transaction(request, handle, ui_locales=params.get("ui_locales"))


def _as_first_factor(browser: BrowserSession | None) -> dict[str, object] | None:
    if browser is None:
        return None
    return {"subject": browser.subject, "acr": browser.acr, "amr": list(browser.amr),
            "auth_time": browser.auth_time}


def _show(request: Request, stage: str, template: str, path: str) -> Handler:
    def handle(session: Session, provider: Provider) -> Response:
        interaction = load_interaction(
            session, provider, interaction_id=request.query_params.get("ix", ""), stage=stage,
            csrf_cookie=request.cookies.get(CSRF_COOKIE), check_form=False,
        )
        return page(template, lang=interaction_language(request, interaction),
                    action=provider.issuer + path, ix=interaction.id,
                    csrf=request.cookies.get(CSRF_COOKIE), error=None)

    return handle


@router.get(LOGIN_PATH)
async def login_page(request: Request) -> Response:
    return await in_transaction(request, _show(request, "login", "login.html", LOGIN_PATH))


@router.get(SECOND_FACTOR_PATH)
async def second_factor_page(request: Request) -> Response:
    """A code form, a security-key page (WebAuthn) or both, as the account allows."""
    csrf_cookie = request.cookies.get(CSRF_COOKIE)

    def handle(session: Session, provider: Provider) -> Response:
        interaction = load_interaction(
            session, provider, interaction_id=request.query_params.get("ix", ""),
            stage="second_factor", csrf_cookie=csrf_cookie, check_form=False,
        )
        return second_factor_response(session, provider, interaction, csrf=csrf_cookie,
                                      lang=interaction_language(request, interaction))

    return await in_transaction(request, handle)


@router.post(LOGIN_PATH)
async def login_submit(request: Request) -> Response:
    def step(
        session: Session, provider: Provider, interaction: Interaction,
        form: dict[str, str], csrf_cookie: str | None,
    ) -> Response:
        try:
            result = provider.authenticator.authenticate_password(
                session, login=form.get("login", "")[:200], password=form.get("password", ""),
                source=client_address(request),
            )
        except AuthenticationFailedError as exc:
            return page("login.html", lang=interaction_language(request, interaction),
                        status=401, action=provider.issuer + LOGIN_PATH, ix=interaction.id,
                        csrf=csrf_cookie, error=exc.reason)
        auth_request = AuthorizationRequest.from_json(interaction.request)
        if not acr.satisfies(result.acr, provider.required_acr(auth_request.acr)):
            interaction.stage = "second_factor"
            interaction.first_factor = _result_json(result)
            return redirect(f"{provider.issuer}{SECOND_FACTOR_PATH}?ix={interaction.id}")
        return finish(session, provider, request, interaction, result)

    return await form_step(request, stage="login", step=step)


@router.post(SECOND_FACTOR_PATH)
async def second_factor_submit(request: Request) -> Response:
    def step(
        session: Session, provider: Provider, interaction: Interaction,
        form: dict[str, str], csrf_cookie: str | None,
    ) -> Response:
        first = interaction.first_factor or {}
        try:
            result = provider.authenticator.verify_second_factor(
                session, account=str(first.get("subject", "")), code=form.get("code", "")[:100],
                source=client_address(request),
            )
            if result.subject != first.get("subject"):
                raise AuthenticationFailedError("invalid_code")
        except AuthenticationFailedError as exc:
            return second_factor_response(
                session, provider, interaction, csrf=csrf_cookie, error=exc.reason,
                lang=interaction_language(request, interaction),
            )
        return finish(session, provider, request, interaction, second_step(first, result))

    return await form_step(request, stage="second_factor", step=step)


def _result_json(result: AuthResult) -> dict[str, object]:
    return {"subject": result.subject, "acr": result.acr, "amr": list(result.amr),
            "auth_time": int(result.auth_time.timestamp())}


@router.api_route("/logout", methods=["GET", "POST"], summary="End session endpoint")
async def logout(request: Request) -> Response:
    try:
        params = await request_params(request)
    except OAuthError as exc:
        return message_page("invalid_request", lang=language_of(request), detail=exc.description)
    cookie = request.cookies.get(SESSION_COOKIE)
    csrf = csrf_token_for(request.cookies.get(CSRF_COOKIE))
    lang = language_of(request, ui_locales=params.get("ui_locales"))

    def handle(session: Session, provider: Provider) -> Response:
        logout_request = parse_logout(session, provider, params)
        browser = current_session(session, provider, cookie)
        if needs_confirmation(logout_request, browser):
            interaction = begin_interaction(
                session, provider, request=logout_request.to_json(), stage="logout",
                csrf_token=csrf,
            )
            response = page("logout.html", lang=lang, action=provider.issuer + "/logout/confirm",
                            ix=interaction.id, csrf=csrf)
            set_cookie(response, provider, CSRF_COOKIE, csrf, max_age=provider.lifetimes.session)
            return response
        if browser is not None:
            end_session(session, row=browser)
        return _after_logout(provider, logout_request.redirect_uri, logout_request.state, lang)

    return await in_transaction(request, handle, ui_locales=params.get("ui_locales"))


@router.post("/logout/confirm")
async def logout_confirm(request: Request) -> Response:
    try:
        form = await form_params(request)
    except OAuthError as exc:
        return message_page("invalid_request", lang=language_of(request), detail=exc.description)
    cookie = request.cookies.get(SESSION_COOKIE)

    def handle(session: Session, provider: Provider) -> Response:
        interaction = load_interaction(
            session, provider, interaction_id=form.get("ix", ""), stage="logout",
            csrf_cookie=request.cookies.get(CSRF_COOKIE), csrf_form=form.get("csrf"),
        )
        browser = current_session(session, provider, cookie)
        if browser is not None:
            end_session(session, row=browser)
        session.delete(interaction)
        saved = interaction.request
        return _after_logout(provider, saved.get("redirect_uri"), saved.get("state"),
                             interaction_language(request, interaction))

    return await in_transaction(request, handle)


def _after_logout(
    provider: Provider, redirect_uri: str | None, state: str | None, lang: str
) -> Response:
    response = (
        redirect(redirect_url(redirect_uri, {"state": state}))
        if redirect_uri
        else message_page("logged_out", lang=lang, status=200)
    )
    clear_cookie(response, provider, SESSION_COOKIE)
    return response

