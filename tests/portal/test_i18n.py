"""Lao and English catalogues: complete, in the right script, and chosen without the URL."""

from __future__ import annotations

import re

import pytest
from babel.messages.pofile import read_po

from portal.catalogues import extract_messages
from portal.i18n import LANGUAGES, Translator, catalogue_path, negotiate_language

LAO = re.compile(r"[\u0e80-\u0eff]")
PLACEHOLDER = re.compile(r"%\(\w+\)s")


def _catalogue(language: str) -> dict[str, str]:
    with catalogue_path(language).open("rb") as handle:
        catalog = read_po(handle, locale=language)
    return {str(m.id): str(m.string) for m in catalog if m.id}


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_string_in_code_and_templates_is_translated(language: str) -> None:
    extracted = {str(m.id) for m in extract_messages() if m.id}
    catalogue = _catalogue(language)
    assert extracted - set(catalogue) == set(), "run: onedoor portal update-catalogues"
    assert set(catalogue) - extracted == set(), "obsolete strings in the catalogue"
    assert [msgid for msgid, text in catalogue.items() if not text.strip()] == []


def test_lao_translations_are_written_in_lao_script_with_the_same_placeholders() -> None:
    for msgid, text in _catalogue("lo").items():
        assert LAO.search(text), msgid
        assert sorted(PLACEHOLDER.findall(text)) == sorted(PLACEHOLDER.findall(msgid)), msgid


def test_the_translator_uses_the_compiled_catalogue() -> None:
    assert Translator("lo")("Sign in") == "ເຂົ້າສູ່ລະບົບ"
    assert Translator("en")("Sign in") == "Sign in"
    assert Translator("lo")("a string nobody translated") == "a string nobody translated"


@pytest.mark.parametrize(
    ("cookie", "header", "expected"),
    [
        (None, None, "lo"),
        (None, "", "lo"),
        (None, "en-US,en;q=0.9", "en"),
        (None, "fr-FR, en;q=0.5, lo;q=0.8", "lo"),
        (None, "en;q=0, lo;q=0.1", "lo"),
        (None, "de, fr", "lo"),
        (None, "en;q=bogus, lo-LA", "lo"),
        ("en", "lo", "en"),
        ("lo", "en", "lo"),
        ("xx", "en", "en"),
    ],
)
def test_language_negotiation(cookie: str | None, header: str | None, expected: str) -> None:
    assert negotiate_language(cookie=cookie, accept_language=header) == expected
