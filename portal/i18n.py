"""Lao and English: gettext catalogues compiled in memory from the committed ``.po`` files.

The language is chosen per user: the cookie set by the switcher, then ``Accept-Language``,
then Lao. It is never read from the URL.
"""

from __future__ import annotations

import gettext
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "messages"
LANGUAGES = ("lo", "en")
DEFAULT_LANGUAGE = "lo"
# Each language is named in itself, so a reader finds their own language whatever is shown.
LANGUAGE_NAMES: Mapping[str, str] = {"lo": "ພາສາລາວ", "en": "English"}
LANGUAGE_COOKIE = "onedoor_lang"


def N_(message: str) -> str:  # noqa: N802 - the conventional gettext no-op marker
    """Mark a string for extraction without translating it now."""
    return message


def catalogue_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def translations(language: str) -> gettext.GNUTranslations:
    """The compiled catalogue of ``language`` (compiled once per process, no build step)."""
    with catalogue_path(language).open("rb") as handle:
        catalog = read_po(handle, locale=language, domain=DOMAIN)
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


@dataclass(frozen=True)
class Translator:
    """``_`` for one request: ``_("Hello %(name)s", name=...)`` with named placeholders only."""

    language: str

    def __call__(self, message: str, **values: object) -> str:
        text = translations(self.language).gettext(message)
        return text % values if values else text


def parse_accept_language(header: str) -> list[tuple[str, float]]:
    """Primary language tags with their weights, best first (RFC 9110 section 12.5.4)."""
    weighted: list[tuple[str, float]] = []
    for item in header.split(",")[:32]:
        tag, _, params = item.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = max(0.0, min(1.0, float(value)))
                except ValueError:
                    quality = 0.0
        primary = tag.strip().lower().split("-")[0]
        if primary and quality > 0:
            weighted.append((primary, quality))
    return sorted(weighted, key=lambda pair: -pair[1])


def negotiate_language(*, cookie: str | None, accept_language: str | None) -> str:
    """The switcher's cookie wins, then the browser's preference, then Lao."""
    if cookie is not None and cookie in LANGUAGES:
        return cookie
    for tag, _quality in parse_accept_language(accept_language or ""):
        if tag in LANGUAGES:
            return tag
    return DEFAULT_LANGUAGE


def preload_catalogues() -> None:
    """Compile every catalogue now, so a broken ``.po`` fails at start, not on a user's page."""
    for language in LANGUAGES:
        translations(language)
