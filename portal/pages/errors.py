"""Translated error pages for browsers; the standard ``{"error": ...}`` body for everyone else."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from onedoor.errors import OneDoorError
from onedoor.http import error_response
from portal.i18n import N_
from portal.rendering import get_pages

log = logging.getLogger("onedoor.portal")

_STATUS_CODES = {400: "invalid_request", 403: "forbidden", 404: "not_found", 405: "invalid_request"}
_GENERIC = (
    N_("Something went wrong"),
    N_("We could not complete your request. Please try again later."),
)
# error code -> (title, explanation); both shown in the reader's language.
_PAGES: dict[str, tuple[str, str]] = {
    "not_found": (
        N_("Page not found"),
        N_("The page you asked for does not exist. "
           "Check the address or go back to the start page."),
    ),
    "csrf_failed": (
        N_("Your form has expired"),
        N_("For your security the form could not be accepted. "
           "Go back, reload the page and try again."),
    ),
    "invalid_request": (
        N_("The request is not valid"),
        N_("Check what you entered and try again."),
    ),
    "invalid_form": (
        N_("The request is not valid"),
        N_("Check what you entered and try again."),
    ),
    "already_done": (
        N_("This has already been done"),
        N_("This form was already sent. There is nothing more to do."),
    ),
    "sign_in_failed": (
        N_("Sign-in did not succeed"),
        N_("We could not complete your sign-in. Start again from the Sign in button."),
    ),
    "sign_in_required": (
        N_("Please sign in"),
        N_("You need to sign in to see this page. Use the Sign in button at the top."),
    ),
    "not_permitted": (
        N_("This page is not for your account"),
        N_("Your account cannot use this page."),
    ),
    "not_available": (
        N_("Not available yet"),
        N_("This service is not available yet. Please try again later."),
    ),
    "signing_failed": (
        N_("The signing service could not sign the document"),
        N_("Nothing was signed. Try again in a few minutes; if it happens again, ask at a "
           "one-door service centre."),
    ),
    "consent_illegal_transition": (
        N_("This has already been done"),
        N_("This consent cannot be changed in that way any more."),
    ),
    "payload_too_large": (
        N_("The form is too large"),
        N_("Send less data and try again."),
    ),
}


def wants_html(request: Request) -> bool:
    return "text/html" in request.headers.get("accept", "")


def error_page(request: Request, *, status: int, code: str, message: str) -> Response:
    """The error page (browsers) or the standard error body (API clients and tests)."""
    if not wants_html(request):
        return error_response(status, code, message)
    title, explanation = _PAGES.get(code, _GENERIC)
    return get_pages(request).render(
        request, "error.html", status_code=status, code=code, title=title, explanation=explanation
    )


def refuse(request: Request, exc: OneDoorError) -> Response:
    return error_page(request, status=exc.http_status, code=exc.code, message=exc.message)


def install_error_pages(app: FastAPI) -> None:
    """Replace the JSON-only handlers of ``create_component_app`` with negotiating ones."""

    @app.exception_handler(OneDoorError)
    async def _onedoor(request: Request, exc: OneDoorError) -> Response:
        return refuse(request, exc)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(part) for part in first.get("loc", ()))
        message = f"{where}: {first.get('msg', 'invalid')}"
        return error_page(request, status=422, code="invalid_request", message=message)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        code = _STATUS_CODES.get(exc.status_code, "http_error")
        message = exc.detail if isinstance(exc.detail, str) else code
        return error_page(request, status=exc.status_code, code=code, message=message)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        log.error("unhandled error", extra={"error_code": type(exc).__name__}, exc_info=exc)
        return error_page(request, status=500, code="internal_error", message="internal error")
