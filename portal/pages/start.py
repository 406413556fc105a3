"""The start page, the three consoles' entry pages and the language switcher."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from portal.errors import InvalidFormError
from portal.i18n import LANGUAGE_COOKIE, LANGUAGES, N_
from portal.rendering import get_pages, portal_path

ONE_YEAR = 365 * 24 * 3600
# slug -> (title, description); the consoles themselves are built by their own teams.
CONSOLES: dict[str, tuple[str, str]] = {
    "officer": (
        N_("Centre officers"),
        N_("Verify a citizen's identity and start applications with data from the registries, "
           "without typing it again."),
    ),
    "citizen": (
        N_("Citizens"),
        N_("Review and sign your applications, manage your consent and see who accessed "
           "your data."),
    ),
    "privacy": (
        N_("Data-protection officers"),
        N_("Search and export access logs, check that the log was not altered and find "
           "suspicious access."),
    ),
}

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def start_page(request: Request) -> HTMLResponse:
    return get_pages(request).render(request, "start.html", consoles=CONSOLES)


def _console_page(console: str) -> Callable[[Request], HTMLResponse]:
    title, description = CONSOLES[console]

    def page(request: Request) -> HTMLResponse:
        """Placeholder entry page of a console: it asks the visitor to sign in."""
        return get_pages(request).render(
            request, "console.html", title=title, description=description
        )

    return page


for _slug in CONSOLES:
    if _slug in ("citizen", "officer", "privacy"):
        continue  # portal/citizen, portal/officer and portal/privacy serve these
    router.add_api_route(
        f"/{_slug}/", _console_page(_slug), methods=["GET"], response_class=HTMLResponse
    )


def safe_local_path(request: Request, candidate: str) -> str:
    """``candidate`` if it is a path on this site, else the start page (no open redirect)."""
    if (
        candidate.startswith("/")
        and not candidate.startswith("//")
        and "\\" not in candidate
        and all(ord(char) > 0x20 for char in candidate)
    ):
        return candidate
    return portal_path(request, "/")


@router.post("/language")
def choose_language(
    request: Request,
    lang: Annotated[str, Form(max_length=8)],
    next_path: Annotated[str, Form(alias="next", max_length=512)] = "/",
) -> RedirectResponse:
    """Remember the reader's language in a cookie (never in the URL) and go back."""
    if lang not in LANGUAGES:
        raise InvalidFormError("unknown language")
    response = RedirectResponse(safe_local_path(request, next_path), status_code=303)
    response.set_cookie(
        LANGUAGE_COOKIE, lang, max_age=ONE_YEAR, path="/", httponly=True, samesite="lax",
        secure=get_pages(request).config.secure_cookies,
    )
    return response
