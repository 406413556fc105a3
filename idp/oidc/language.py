"""Which language the IdP's pages speak: Lao or English.

The relying party's ``ui_locales`` (OIDC Core 3.1.2.1; RP-Initiated Logout 1.0 section 2)
wins, then the language cookie the portal's switcher sets on the same site, then the
browser's ``Accept-Language`` (RFC 9110 12.5.4), then Lao.
"""

from __future__ import annotations

from collections.abc import Iterable

from fastapi import Request

from idp.oidc.strings import STRINGS

DEFAULT_LANGUAGE = "lo"
LANGUAGES = tuple(STRINGS)
# The portal's switcher cookie (path "/"), so one choice holds for the whole site.
LANGUAGE_COOKIE = "onedoor_lang"
_MAX_TAGS = 32


def _supported(tags: Iterable[str]) -> str | None:
    """The first tag whose primary subtag (``lo`` of ``lo-LA``) is a language we speak."""
    for tag in tags:
        primary = tag.strip().lower().split("-")[0]
        if primary in LANGUAGES:
            return primary
    return None


def from_ui_locales(value: str | None) -> str | None:
    """The first supported tag of a space-separated, preference-ordered list."""
    return _supported((value or "").split()[:_MAX_TAGS])


def from_accept_language(header: str | None) -> str | None:
    """The supported language the browser weights highest; ``q=0`` means not acceptable."""
    weighted: list[tuple[float, str]] = []
    for item in (header or "").split(",")[:_MAX_TAGS]:
        tag, _, params = item.partition(";")
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = max(0.0, min(1.0, float(value)))
                except ValueError:
                    quality = 0.0
        if quality > 0:
            weighted.append((quality, tag))
    weighted.sort(key=lambda pair: -pair[0])  # stable: equal weights keep the header's order
    return _supported(tag for _, tag in weighted)


def choose_language(
    *, ui_locales: str | None, cookie: str | None, accept_language: str | None
) -> str:
    """ui_locales, then the cookie, then Accept-Language, then Lao."""
    if cookie is not None and cookie not in LANGUAGES:
        cookie = None
    return (
        from_ui_locales(ui_locales) or cookie or from_accept_language(accept_language)
        or DEFAULT_LANGUAGE
    )


def language_of(request: Request, *, ui_locales: str | None = None) -> str:
    """The language of the page answering ``request``."""
    return choose_language(
        ui_locales=ui_locales,
        cookie=request.cookies.get(LANGUAGE_COOKIE),
        accept_language=request.headers.get("accept-language"),
    )
