"""Server-rendered pages: one Jinja2 environment, a translated context for every request."""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from sqlalchemy.exc import SQLAlchemyError

from portal.config import PortalConfig
from portal.i18n import (
    LANGUAGE_COOKIE,
    LANGUAGE_NAMES,
    LANGUAGES,
    Translator,
    negotiate_language,
)
from portal.login.sessions import SignedInUser, signed_in_user
from portal.security.csrf import CSRF_FIELD, csrf_token
from portal.security.sessions import session_id
from portal.static_files import StaticFile, static_path

TEMPLATE_DIR = Path(__file__).parent / "templates"


def request_language(request: Request) -> str:
    return negotiate_language(
        cookie=request.cookies.get(LANGUAGE_COOKIE),
        accept_language=request.headers.get("accept-language"),
    )


def portal_path(request: Request, path: str = "/") -> str:
    """An absolute path inside the portal, wherever it is mounted (``/portal`` in the demo)."""
    return f"{request.scope.get('root_path', '').rstrip('/')}{path}"


@dataclass(frozen=True)
class Pages:
    """Renders templates with ``_``, ``lang``, ``csrf_field`` and URL helpers in the context."""

    config: PortalConfig
    static: Mapping[str, StaticFile]
    environment: Environment
    csrf_key: bytes

    def context(self, request: Request) -> dict[str, Any]:
        language = request_language(request)
        return {
            "request": request,
            "lang": language,
            "_": Translator(language),
            "languages": [(code, LANGUAGE_NAMES[code]) for code in LANGUAGES],
            "csrf_field": CSRF_FIELD,
            "csrf_token": csrf_token(key=self.csrf_key, session_id=session_id(request)),
            "path": lambda path="/": portal_path(request, path),
            "static": lambda name: portal_path(request, static_path(dict(self.static), name)),
            "current_path": request.url.path,
            "user": current_user_or_none(request),
        }

    def render(
        self, request: Request, template: str, *, status_code: int = 200, **values: Any
    ) -> HTMLResponse:
        page = self.environment.get_template(template)
        html = page.render({**self.context(request), **values})
        return HTMLResponse(html, status_code=status_code)


def current_user_or_none(request: Request) -> SignedInUser | None:
    """The signed-in user for the page header; an error page still renders without a database."""
    try:
        return signed_in_user(request, now=int(time.time()))
    except SQLAlchemyError:
        return None


def format_unix_time(value: int) -> str:
    """Unix seconds as a UTC time a reader can compare across pages."""
    return datetime.fromtimestamp(value, UTC).strftime("%Y-%m-%d %H:%M UTC")


def create_environment(folder: Path = TEMPLATE_DIR) -> Environment:
    environment = Environment(
        loader=FileSystemLoader(folder),
        autoescape=select_autoescape(("html",)),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["datetime"] = format_unix_time
    return environment


def get_pages(request: Request) -> Pages:
    pages: Pages = request.app.state.pages
    return pages
