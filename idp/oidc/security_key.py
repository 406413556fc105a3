"""Security keys on the login pages: the WebAuthn second step and a staff account's first key.

The relying party is the issuer's host (WebAuthn L2 section 5.1.3: the RP id is a domain, the
origin ``scheme://host[:port]``), so it follows ``settings.base_url``. The ceremony runs in
``/static/webauthn.js`` (same origin, no inline script: the page's CSP allows only
``script-src 'self'``); the credential comes back as JSON in a form with the CSRF token.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from idp.oidc.authenticator import (
    AuthenticationFailedError,
    KeyEnrolment,
    RelyingParty,
    SecondFactorOptions,
)
from idp.oidc.flow import finish, form_step, in_transaction, interaction_language, second_step
from idp.oidc.language import language_of
from idp.oidc.models import Interaction
from idp.oidc.provider import SECOND_FACTOR_PATH, Provider
from idp.oidc.sessions import CSRF_COOKIE, begin_interaction, csrf_token_for
from idp.oidc.web import (
    PAGE_HEADERS,
    client_address,
    message_page,
    page,
    set_cookie,
)

KEY_PATH = "/login/key"
ENROL_PATH = "/enrol"
ENROL_KEY_PATH = "/enrol/key"
SCRIPT_PATH = "/static/webauthn.js"
MAX_CREDENTIAL_CHARS = 64 * 1024
MAX_TOKEN_CHARS = 100
_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)
_SCRIPT = (Path(__file__).parent / "static" / "webauthn.js").read_text(encoding="utf-8")
router = APIRouter(include_in_schema=False)


def relying_party_of(provider: Provider) -> RelyingParty:
    """RP id = the issuer's host; origin = its scheme, host and port."""
    parts = urlsplit(provider.issuer)
    return RelyingParty(rp_id=parts.hostname or "", origin=f"{parts.scheme}://{parts.netloc}")


def key_page(template: str, *, lang: str, status: int = 200, **context: Any) -> HTMLResponse:
    """A page that may run the WebAuthn script (same origin only)."""
    return page(template, lang=lang, status=status,
                headers={**PAGE_HEADERS, "Content-Security-Policy": _CSP}, **context)


def _options(session: Session, provider: Provider, subject: str) -> SecondFactorOptions:
    try:
        return provider.authenticator.second_factor_options(
            session, account=subject, relying_party=relying_party_of(provider)
        )
    except AuthenticationFailedError:
        return SecondFactorOptions(factors=frozenset())


def second_factor_response(
    session: Session, provider: Provider, interaction: Interaction, *, csrf: str | None,
    lang: str, error: str | None = None,
) -> HTMLResponse:
    """The page for the account's second step: a security key, a code, or both."""
    subject = str((interaction.first_factor or {}).get("subject", ""))
    options = _options(session, provider, subject)
    status = 401 if error else 200
    common: dict[str, Any] = {"ix": interaction.id, "csrf": csrf, "error": error}
    if "webauthn" in options.factors:
        code_action = provider.issuer + SECOND_FACTOR_PATH if "code" in options.factors else None
        return key_page(
            "security_key.html", lang=lang, status=status, key_action=provider.issuer + KEY_PATH,
            code_action=code_action, options=options.webauthn,
            script=provider.issuer + SCRIPT_PATH, **common,
        )
    if "code" in options.factors:
        return page("second_factor.html", lang=lang, status=status,
                    action=provider.issuer + SECOND_FACTOR_PATH, **common)
    return key_page("message.html", lang=lang, status=403, title="no_key_title",
                    message="no_security_key", detail=None)


@router.get(SCRIPT_PATH)
def webauthn_script() -> Response:
    return Response(_SCRIPT, media_type="text/javascript; charset=utf-8",
                    headers={"Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff"})


@router.post(KEY_PATH)
async def security_key_submit(request: Request) -> Response:
    """The WebAuthn assertion of the second step (section 7.2), checked through the port."""
    def step(
        session: Session, provider: Provider, interaction: Interaction,
        form: dict[str, str], csrf_cookie: str | None,
    ) -> Response:
        first = interaction.first_factor or {}
        subject = str(first.get("subject", ""))
        try:
            result = provider.authenticator.verify_security_key(
                session, account=subject,
                assertion=form.get("credential", "")[:MAX_CREDENTIAL_CHARS],
                relying_party=relying_party_of(provider), source=client_address(request),
            )
            if result.subject != subject:
                raise AuthenticationFailedError("invalid_code")
        except AuthenticationFailedError as exc:
            known = exc.reason in ("invalid_code", "invalid_credentials")
            reason = "invalid_key" if known else exc.reason
            return second_factor_response(
                session, provider, interaction, csrf=csrf_cookie, error=reason,
                lang=interaction_language(request, interaction),
            )
        return finish(session, provider, request, interaction, second_step(first, result))

    return await form_step(request, stage="second_factor", step=step)


def _enrolment(provider: Provider) -> KeyEnrolment:
    if not isinstance(provider.authenticator, KeyEnrolment):
        raise AuthenticationFailedError("unavailable")
    return provider.authenticator


@router.get(ENROL_PATH)
async def enrol_page(request: Request) -> Response:
    """Where a new officer or operator enters the one-time enrolment token."""
    csrf = csrf_token_for(request.cookies.get(CSRF_COOKIE))

    def handle(session: Session, provider: Provider) -> Response:
        interaction = begin_interaction(
            session, provider, request={}, stage="enrol", csrf_token=csrf
        )
        response = key_page("enrol.html", lang=language_of(request),
                            action=provider.issuer + ENROL_PATH,
                            ix=interaction.id, csrf=csrf, error=None)
        set_cookie(response, provider, CSRF_COOKIE, csrf, max_age=provider.lifetimes.session)
        return response

    return await in_transaction(request, handle)


def _key_form(
    provider: Provider, interaction: Interaction, options: str, csrf: str | None, lang: str,
    error: str | None = None,
) -> HTMLResponse:
    return key_page(
        "enrol_key.html", lang=lang, status=400 if error else 200,
        action=provider.issuer + ENROL_KEY_PATH, ix=interaction.id, csrf=csrf,
        options=options, script=provider.issuer + SCRIPT_PATH, error=error,
    )


@router.post(ENROL_PATH)
async def enrol_token_submit(request: Request) -> Response:
    lang = language_of(request)

    def step(
        session: Session, provider: Provider, interaction: Interaction,
        form: dict[str, str], csrf_cookie: str | None,
    ) -> Response:
        token = form.get("token", "").strip()[:MAX_TOKEN_CHARS]
        try:
            options = _enrolment(provider).begin_key_enrolment(
                session, token=token, relying_party=relying_party_of(provider)
            )
        except AuthenticationFailedError:
            return key_page("enrol.html", lang=lang, status=400,
                            action=provider.issuer + ENROL_PATH,
                            ix=interaction.id, csrf=csrf_cookie, error="invalid_token")
        interaction.stage = "enrol_key"
        interaction.first_factor = {"token": token}
        return _key_form(provider, interaction, options, csrf_cookie, lang)

    return await form_step(request, stage="enrol", step=step)


@router.post(ENROL_KEY_PATH)
async def enrol_key_submit(request: Request) -> Response:
    """The attestation of the new key (section 7.1); the token is spent once it is stored."""
    lang = language_of(request)

    def step(
        session: Session, provider: Provider, interaction: Interaction,
        form: dict[str, str], csrf_cookie: str | None,
    ) -> Response:
        token = str((interaction.first_factor or {}).get("token", ""))
        try:
            enrolment = _enrolment(provider)
        except AuthenticationFailedError:
            return message_page("unavailable", lang=lang)
        relying_party = relying_party_of(provider)
        try:
            enrolment.finish_key_enrolment(
                session, token=token, relying_party=relying_party,
                credential=form.get("credential", "")[:MAX_CREDENTIAL_CHARS],
            )
        except AuthenticationFailedError:
            try:
                options = enrolment.begin_key_enrolment(
                    session, token=token, relying_party=relying_party
                )
            except AuthenticationFailedError:
                session.delete(interaction)
                return key_page("message.html", lang=lang, status=400, title="enrol_title",
                                message="invalid_token", detail=None)
            return _key_form(provider, interaction, options, csrf_cookie, lang,
                             error="key_refused")
        session.delete(interaction)
        return key_page("message.html", lang=lang, title="enrol_title", message="key_registered",
                        detail=None)

    return await form_step(request, stage="enrol_key", step=step)

