"""What the OpenID provider's routes share: parameters, rendering, cookies, error bodies."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from jinja2 import Environment, PackageLoader, select_autoescape
from sqlalchemy.orm import Session, sessionmaker

from idp.oidc.errors import InvalidRequestError, OAuthError
from idp.oidc.provider import Provider
from idp.oidc.strings import text_for

NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}
PAGE_HEADERS = {
    **NO_STORE,
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; frame-ancestors 'none'",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
}
FORM_TYPE = "application/x-www-form-urlencoded"
_templates = Environment(
    loader=PackageLoader("idp.oidc", "templates"), autoescape=select_autoescape(default=True)
)


def provider_of(request: Request) -> Provider:
    provider: Provider = request.app.state.oidc_provider
    return provider


def sessions_of(request: Request) -> sessionmaker[Session]:
    factory: sessionmaker[Session] = request.app.state.runtime.sessions
    return factory


def single_values(items: Iterable[tuple[str, Any]]) -> dict[str, str]:
    """Parameters as a dict; a repeated parameter is refused (RFC 6749 3.1, 3.2)."""
    params: dict[str, str] = {}
    for key, value in items:
        if key in params:
            raise InvalidRequestError(f"parameter {key[:40]!r} is repeated")
        if not isinstance(value, str):
            raise InvalidRequestError("file uploads are not accepted")
        params[key] = value
    return params


async def form_params(request: Request) -> dict[str, str]:
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != FORM_TYPE:
        raise InvalidRequestError(f"the body must be {FORM_TYPE}")
    form = await request.form()
    return single_values(form.multi_items())


async def request_params(request: Request) -> dict[str, str]:
    """Query parameters for GET, form parameters for POST (OIDC Core 3.1.2.1)."""
    if request.method == "POST":
        return await form_params(request)
    return single_values(request.query_params.multi_items())


def oauth_error(exc: OAuthError, *, basic_attempted: bool = False) -> JSONResponse:
    """RFC 6749 5.2 error body; 401 with a Basic challenge when Basic auth failed."""
    headers = dict(NO_STORE)
    status = exc.http_status
    if status == 401 and basic_attempted:
        headers["WWW-Authenticate"] = 'Basic realm="onedoor-idp"'
    return JSONResponse(exc.to_oauth(), status_code=status, headers=headers)


def bearer_error(exc: OAuthError | None) -> JSONResponse:
    """RFC 6750 3: a challenge, with an error code only when a token was presented."""
    challenge = 'Bearer realm="onedoor-idp"'
    if exc is None:
        return JSONResponse({"error": "invalid_token"}, status_code=401,
                            headers={"WWW-Authenticate": challenge, **NO_STORE})
    challenge += f', error="{exc.error}", error_description="{exc.description}"'
    return JSONResponse(exc.to_oauth(), status_code=exc.http_status,
                        headers={"WWW-Authenticate": challenge, **NO_STORE})


def page(
    template: str, *, lang: str, status: int = 200, headers: Mapping[str, str] = PAGE_HEADERS,
    **context: Any,
) -> HTMLResponse:
    """``template`` rendered in ``lang`` (see idp.oidc.language), with the pages' headers."""
    html = _templates.get_template(template).render(t=text_for(lang), **context)
    return HTMLResponse(html, status_code=status, headers=dict(headers))


def message_page(
    message: str, *, lang: str, status: int = 400, detail: str | None = None
) -> HTMLResponse:
    title = "logout_title" if message == "logged_out" else "error_title"
    return page("message.html", lang=lang, status=status, title=title, message=message,
                detail=detail)


def redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303, headers=NO_STORE)


def set_cookie(
    response: Response, provider: Provider, name: str, value: str, *, max_age: int
) -> None:
    response.set_cookie(
        name, value, max_age=max_age, path=provider.cookie_path, secure=provider.secure_cookies,
        httponly=True, samesite="lax",
    )


def clear_cookie(response: Response, provider: Provider, name: str) -> None:
    response.delete_cookie(
        name, path=provider.cookie_path, secure=provider.secure_cookies, httponly=True,
        samesite="lax",
    )


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def first(mapping: Mapping[str, str], key: str) -> str:
    return mapping.get(key, "")
