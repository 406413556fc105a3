"""The IdP's pages in Lao and English: ui_locales, cookie, Accept-Language, else Lao."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any, get_args

import pytest

from idp.oidc import acr, language
from idp.oidc.authenticator import FailureReason
from idp.oidc.language import choose_language, from_accept_language, from_ui_locales
from idp.oidc.strings import EN, LO, STRINGS
from tests.idp.oidc.conftest import PASSWORD, Idp, form_fields, pkce_pair

TEMPLATES = Path(language.__file__).parent / "templates"
ENGLISH_TITLE, LAO_TITLE = "Log in to OneDoor", "ເຂົ້າສູ່ລະບົບ OneDoor"


def _html_lang(html: str) -> str:
    found = re.search(r'<html lang="([^"]+)">', html)
    assert found is not None
    return found.group(1)


@pytest.mark.parametrize(
    ("ui_locales", "cookie", "accept_language", "expected"),
    [
        ("en", "lo", "lo", "en"),  # the relying party's request wins
        ("fr-CA en-GB lo", None, None, "en"),  # first supported tag, region ignored
        ("lo-LA", "en", "en", "lo"),
        ("fr", "en", "lo", "en"),  # nothing supported in ui_locales: the cookie
        (None, "xx", "en-US,en;q=0.9", "en"),  # unknown cookie value ignored
        (None, None, "fr, en;q=0.5, lo;q=0.8", "lo"),  # by weight, not by order
        (None, None, "en;q=0, fr", "lo"),  # q=0 means "not English"
        (None, None, "en;q=oops", "lo"),  # an unreadable weight counts as 0
        (None, None, "EN-us", "en"),
        (None, None, None, "lo"),
        ("", "", "", "lo"),
    ],
)
def test_the_language_is_chosen_in_order(
    ui_locales: str | None, cookie: str | None, accept_language: str | None, expected: str
) -> None:
    chosen = choose_language(ui_locales=ui_locales, cookie=cookie, accept_language=accept_language)
    assert chosen == expected


def test_hostile_headers_do_not_break_the_choice() -> None:
    assert from_accept_language(",;;=,q=," * 1000) is None
    assert from_accept_language("fr," * 100 + "en") is None  # only the first 32 entries
    assert from_ui_locales(" " * 10_000) is None


def test_both_languages_translate_every_string() -> None:
    assert set(LO) == set(EN)
    for key in LO:
        assert LO[key] != EN[key], key
        letters = [ch for ch in LO[key] if unicodedata.category(ch).startswith("L")]
        lao = [ch for ch in letters if "\u0e80" <= ch <= "\u0eff"]
        assert len(lao) > len(letters) / 2, f"{key} is not written in Lao"


def test_every_key_a_page_can_show_exists() -> None:
    used: set[str] = set(get_args(FailureReason))
    for template in TEMPLATES.glob("*.html"):
        used |= set(re.findall(r"\bt\.(\w+)", template.read_text()))
    used |= {"invalid_key", "no_key_title", "no_security_key", "invalid_token", "key_refused",
             "key_registered", "logged_out", "interaction_expired", "invalid_request"}
    for strings in STRINGS.values():
        assert used - {"lang"} <= set(strings)


def _login_page(idp: Idp, client_id: str, **params: str) -> Any:
    _, challenge = pkce_pair()
    start = idp.authorize(client_id, code_challenge=challenge, **params)
    return idp.http.get(start.headers["location"])


def test_without_any_preference_the_pages_are_in_lao(idp: Idp) -> None:
    client = idp.register()
    page = _login_page(idp, client.client.client_id)
    assert _html_lang(page.text) == "lo" and LAO_TITLE in page.text
    assert "ລະຫັດຜ່ານ" in page.text and "Password" not in page.text


def test_ui_locales_holds_for_the_whole_login_against_the_browser(idp: Idp) -> None:
    client = idp.register()
    idp.http.headers["accept-language"] = "lo-LA"
    idp.http.cookies.set(language.LANGUAGE_COOKIE, "lo")
    page = _login_page(idp, client.client.client_id, ui_locales="en-US",
                       acr_values=acr.SUBSTANTIAL)
    assert _html_lang(page.text) == "en" and ENGLISH_TITLE in page.text
    refused = idp.submit("/login", page.text, login="alice", password="wrong")
    assert refused.status_code == 401
    assert _html_lang(refused.text) == "en" and EN["invalid_credentials"] in refused.text
    accepted = idp.submit("/login", refused.text, login="alice", password=PASSWORD)
    second = idp.http.get(accepted.headers["location"])
    assert _html_lang(second.text) == "en" and EN["code_title"] in second.text
    wrong_code = idp.submit("/login/code", second.text, code="000000")
    assert _html_lang(wrong_code.text) == "en" and EN["invalid_code"] in wrong_code.text


def test_lao_ui_locales_wins_over_an_english_browser(idp: Idp) -> None:
    client = idp.register()
    idp.http.headers["accept-language"] = "en"
    page = _login_page(idp, client.client.client_id, ui_locales="lo")
    assert _html_lang(page.text) == "lo" and LAO_TITLE in page.text
    refused = idp.submit("/login", page.text, login="alice", password="wrong")
    assert LO["invalid_credentials"] in refused.text


def test_the_cookie_then_accept_language_choose_when_ui_locales_does_not(idp: Idp) -> None:
    client = idp.register()
    idp.http.headers["accept-language"] = "en-GB,en;q=0.9"
    english = _login_page(idp, client.client.client_id, ui_locales="fr")
    assert _html_lang(english.text) == "en"
    idp.http.cookies.set(language.LANGUAGE_COOKIE, "lo")
    lao = _login_page(idp, client.client.client_id)
    assert _html_lang(lao.text) == "lo"


def test_error_and_logout_pages_follow_the_language(idp: Idp) -> None:
    idp.http.headers["accept-language"] = "en"
    expired = idp.http.get("/idp/login", params={"ix": "no-such-interaction"})
    assert expired.status_code == 400
    assert _html_lang(expired.text) == "en" and EN["interaction_expired"] in expired.text
    unknown = idp.http.get("/idp/authorize", params={"client_id": "nope", "ui_locales": "lo"})
    assert _html_lang(unknown.text) == "lo" and LO["invalid_request"] in unknown.text
    logged_out = idp.http.get("/idp/logout", params={"ui_locales": "lo"})
    assert _html_lang(logged_out.text) == "lo" and LO["logged_out"] in logged_out.text


def test_logout_confirmation_keeps_the_requested_language(idp: Idp) -> None:
    client = idp.register()
    idp.login(client.client.client_id)
    asked = idp.http.get("/idp/logout", params={"ui_locales": "en"})
    assert _html_lang(asked.text) == "en" and EN["logout_question"] in asked.text
    done = idp.http.post("/idp/logout/confirm", data=form_fields(asked.text))
    assert _html_lang(done.text) == "en" and EN["logged_out"] in done.text


@pytest.mark.parametrize(("accept_language", "expected"), [("en", "en"), ("lo", "lo")])
def test_the_enrolment_page_speaks_the_browsers_language(
    idp: Idp, accept_language: str, expected: str
) -> None:
    page = idp.http.get("/idp/enrol", headers={"accept-language": accept_language})
    assert _html_lang(page.text) == expected
    assert STRINGS[expected]["enrol_token_label"] in page.text
