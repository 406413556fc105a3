"""The portal as a person uses it: Debian's Chromium against a real server, keyboard and mouse."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, Response
from sqlalchemy import select

from portal.rating.models import PortalRating
from tests.portal.conftest import PortalServer

PAGE_BUDGET = 200 * 1024
MAIN_PAGES = {
    "start": "/",
    "officer": "/officer/",
    "citizen": "/citizen/",
    "privacy": "/privacy/",
    "rating": "/rating",
    "login": "/login",
    "not-found": "/no-such-page",
}


@pytest.fixture
def english_page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(locale="en-GB")
    yield context.new_page()
    context.close()


def console_errors(page: Page) -> list[str]:
    errors: list[str] = []

    def record(message: ConsoleMessage) -> None:
        if message.type in ("error", "warning"):
            errors.append(message.text)

    page.on("console", record)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def test_start_page_speaks_lao_then_english_and_remembers(
    page: Page, portal_server: PortalServer, screenshots: Path
) -> None:
    page.goto(f"{portal_server.portal_url}/")
    assert page.locator("html").get_attribute("lang") == "lo"
    assert "ສະບາຍດີ" in page.locator("h1").inner_text()
    assert page.get_by_role("link", name="ເຂົ້າສູ່ລະບົບ").is_visible()
    page.screenshot(path=str(screenshots / "start-lo.png"), full_page=True)

    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.url == f"{portal_server.portal_url}/"
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Hello, welcome to OneDoor"
    page.screenshot(path=str(screenshots / "start-en.png"), full_page=True)

    page.get_by_role("link", name="Rate our service").click()
    assert page.locator("html").get_attribute("lang") == "en"
    other_tab = page.context.new_page()
    other_tab.goto(f"{portal_server.portal_url}/citizen/")
    assert other_tab.locator("h1").inner_text() == "Citizens"

    other_tab.get_by_role("button", name="ພາສາລາວ").click()
    other_tab.wait_for_load_state()
    assert other_tab.url == f"{portal_server.portal_url}/citizen/"
    assert other_tab.locator("h1").inner_text() == "ພົນລະເມືອງ"


def test_browser_language_is_the_default_until_the_reader_switches(
    english_page: Page, portal_server: PortalServer
) -> None:
    english_page.goto(f"{portal_server.portal_url}/")
    assert english_page.locator("html").get_attribute("lang") == "en"
    english_page.get_by_role("button", name="ພາສາລາວ").click()
    english_page.wait_for_load_state()
    assert english_page.locator("html").get_attribute("lang") == "lo"


def _focused(page: Page) -> str:
    return str(
        page.evaluate(
            "() => { const e = document.activeElement;"
            " return e.tagName.toLowerCase() + ':' + (e.getAttribute('href')"
            " || e.getAttribute('value') || e.id || '') }"
        )
    )


def test_keyboard_reaches_skip_link_switcher_and_sign_in(
    page: Page, portal_server: PortalServer
) -> None:
    page.goto(f"{portal_server.portal_url}/")
    order = []
    for _ in range(5):
        page.keyboard.press("Tab")
        order.append(_focused(page))
    assert order == [
        "a:#main", "a:/portal/", "button:lo", "button:en", "a:/portal/login",
    ]
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")  # "English" pressed from the keyboard
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"

    page.keyboard.press("Tab")
    assert page.locator(".skip-link").is_visible()
    page.keyboard.press("Enter")
    assert _focused(page) == "main:main"


def test_rating_form_by_keyboard_and_mouse(
    page: Page, portal_server: PortalServer, screenshots: Path
) -> None:
    page.goto(f"{portal_server.portal_url}/rating")
    page.screenshot(path=str(screenshots / "rating-lo.png"), full_page=True)
    page.get_by_label("ລະຫັດສູນ").fill("VTE-01")
    page.get_by_label("ເລກອ້າງອີງຄຳຮ້ອງ").fill("APP-BROWSER-0001")
    page.get_by_label("4 ພໍໃຈ", exact=True).check()
    page.get_by_role("button", name="ສົ່ງຄະແນນ").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "ຂອບໃຈສຳລັບຄະແນນຂອງທ່ານ"

    with portal_server.runtime.sessions() as session:
        stored = session.scalars(
            select(PortalRating).where(
                PortalRating.application_reference == "APP-BROWSER-0001"
            )
        ).one()
    assert (stored.centre_code, stored.score) == ("VTE-01", 4)

    page.go_back()
    page.get_by_label("ລະຫັດສູນ").fill("VTE-01")
    page.get_by_label("ເລກອ້າງອີງຄຳຮ້ອງ").fill("APP-BROWSER-0001")
    page.get_by_label("5 ພໍໃຈຫຼາຍ", exact=True).check()
    page.get_by_role("button", name="ສົ່ງຄະແນນ").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "ລາຍການນີ້ໄດ້ດຳເນີນແລ້ວ"


@pytest.mark.parametrize("name", sorted(MAIN_PAGES))
def test_every_page_is_light_and_needs_no_inline_script(
    page: Page, portal_server: PortalServer, screenshots: Path, name: str
) -> None:
    errors = console_errors(page)
    responses: list[Response] = []
    page.on("response", lambda response: responses.append(response))
    first = page.goto(f"{portal_server.portal_url}{MAIN_PAGES[name]}", wait_until="load")
    assert first is not None
    assert "script-src 'self'" in (first.headers.get("content-security-policy") or "")
    page.screenshot(path=str(screenshots / f"{name}.png"), full_page=True)
    total = sum(len(r.body()) for r in responses if not 300 <= r.status < 400)
    assert total < PAGE_BUDGET, f"{name}: {total} bytes on first load"
    origins = {r.url.split("/")[2] for r in responses}
    assert origins == {portal_server.base_url.split("/")[2]}  # nothing from elsewhere
    # The only console messages allowed: the 404 and 503 pages' own status.
    assert [e for e in errors if "status of 404" not in e and "status of 503" not in e] == []


def test_injected_inline_script_is_refused_by_the_csp(
    page: Page, portal_server: PortalServer
) -> None:
    errors = console_errors(page)
    page.goto(f"{portal_server.portal_url}/")
    ran = page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.injected = true'; document.body.appendChild(s);"
        " return window.injected === true }"
    )
    assert ran is False
    assert any("Content Security Policy" in error for error in errors), errors
