"""Citizens in Debian's Chromium: sign in through the real IdP pages, manage consents.

The IdP and the portal run in one uvicorn server (``journey_server``), as in the demo.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyotp
import pytest
from playwright.sync_api import Browser, Page

from idp.oidc.strings import text_for
from portal.i18n import translations
from tests.portal.conftest import PortalServer
from tests.portal.journey import ITEMS, Citizen, new_citizen

pytestmark = pytest.mark.slow


@pytest.fixture
def english_page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def signed_out(server: PortalServer) -> Callable[[str], bool]:
    """The portal's start page, where the IdP sends the browser back after logout."""
    return lambda url: url.split("?")[0] == f"{server.portal_url}/"


def sign_in(page: Page, server: PortalServer, citizen: Citizen, code: str, *, button: str) -> None:
    page.goto(f"{server.portal_url}/citizen/")
    page.get_by_role("link", name=button).first.click()
    page.locator('input[name="login"]').wait_for()
    idp = text_for(page.locator("html").get_attribute("lang") or "lo")  # follows ui_locales
    page.get_by_label(idp["login_label"]).fill(citizen.login)
    page.get_by_label(idp["password_label"]).fill(citizen.password)
    page.get_by_role("button", name=idp["login_button"]).click()
    page.get_by_label(idp["code_label"]).fill(code)
    page.get_by_role("button", name=idp["code_button"]).click()
    page.wait_for_url(f"{server.portal_url}/citizen/")


def test_a_citizen_signs_in_with_password_and_totp_in_lao(
    page: Page, journey_server: PortalServer, screenshots: Path
) -> None:
    citizen = new_citizen(journey_server.runtime)
    assert citizen.totp is not None
    sign_in(page, journey_server, citizen, citizen.totp.now(), button="ເຂົ້າສູ່ລະບົບ")
    assert page.locator("html").get_attribute("lang") == "lo"
    assert page.locator("h1").inner_text() == "ສະບາຍດີ, ສົມໃຈ ພົມມະວົງ"
    page.screenshot(path=str(screenshots / "citizen-home-lo.png"), full_page=True)
    page.get_by_role("link", name="ຄວາມປອດໄພການເຂົ້າສູ່ລະບົບ").click()
    page.screenshot(path=str(screenshots / "citizen-security-lo.png"), full_page=True)
    page.get_by_role("button", name="ອອກຈາກລະບົບ").click()
    page.wait_for_url(signed_out(journey_server))
    assert page.get_by_role("link", name="ເຂົ້າສູ່ລະບົບ").is_visible()


def test_a_citizen_signs_in_with_a_recovery_code_in_english_and_adds_an_app(
    english_page: Page, journey_server: PortalServer, screenshots: Path
) -> None:
    page = english_page
    citizen = new_citizen(journey_server.runtime, with_totp=False)
    sign_in(page, journey_server, citizen, citizen.recovery_codes[0], button="Sign in")
    assert page.locator("h1").inner_text() == "Hello, ສົມໃຈ ພົມມະວົງ"
    page.screenshot(path=str(screenshots / "citizen-home-en.png"), full_page=True)
    page.get_by_role("link", name="Sign-in security").click()
    page.get_by_role("button", name="Set up an authenticator app").click()
    assert page.get_by_role("img", name="QR code for your authenticator app").is_visible()
    page.screenshot(path=str(screenshots / "citizen-totp-en.png"), full_page=True)
    app = pyotp.TOTP(page.locator("#totp-secret").inner_text().replace(" ", ""))
    # The previous step's code: the current one then still signs in below.
    page.get_by_label("Code from the app").fill(app.at(datetime.now(UTC) - timedelta(seconds=30)))
    page.get_by_role("button", name="Confirm").click()
    assert page.locator("h1").inner_text() == "Your authenticator app is set up"
    assert page.locator(".recovery-codes li").count() >= 8
    page.screenshot(path=str(screenshots / "citizen-recovery-codes-en.png"), full_page=True)
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(signed_out(journey_server))
    sign_in(page, journey_server, citizen, app.now(), button="Sign in")
    page.get_by_role("link", name="Sign-in security").click()
    assert page.locator("#totp-status").inner_text() == "An authenticator app is set up."


@pytest.mark.parametrize("language", ["lo", "en"])
def test_a_citizen_gives_then_withdraws_a_consent(
    browser: Browser, language: str, journey_server: PortalServer, screenshots: Path
) -> None:
    context = browser.new_context(locale="lo-LA" if language == "lo" else "en-GB")
    context.set_default_timeout(10_000)
    page = context.new_page()
    _ = translations(language).gettext  # the portal's own catalogue: labels in that language
    citizen = new_citizen(journey_server.runtime)
    assert citizen.totp is not None
    sign_in(page, journey_server, citizen, citizen.totp.now(), button=_("Sign in"))
    assert page.locator("html").get_attribute("lang") == language
    page.get_by_role("link", name=_("Your consents")).click()
    assert page.get_by_text(_("You have not given any consent yet.")).is_visible()
    page.get_by_role("link", name=_("Give a consent")).click()
    page.get_by_label(_("Who may use your data")).select_option("LA/GOV/MOES")
    page.get_by_label(_("For what purpose")).select_option("school-enrolment")
    for item in ITEMS:
        page.get_by_label(item).check()
    page.get_by_label(_("For how long")).select_option("365")
    shot = f"citizen-consent-new-{language}.png"
    page.screenshot(path=str(screenshots / shot), full_page=True)
    page.get_by_role("button", name=_("Give consent")).click()
    assert page.locator("#consent-state").inner_text() == _("Active")
    page.get_by_text(_("The signed consent record")).click()
    assert "onedoor-consent/1" in page.locator("pre.artefact").inner_text()
    page.screenshot(path=str(screenshots / f"citizen-consent-{language}.png"), full_page=True)
    page.get_by_role("button", name=_("Withdraw consent")).click()
    assert page.locator("#consent-state").inner_text() == _("Withdrawn")
    assert page.get_by_role("button", name=_("Pause")).count() == 0
    page.get_by_role("link", name=_("Back to your consents")).click()
    assert page.locator("td.state").inner_text() == _("Withdrawn")
    page.screenshot(path=str(screenshots / f"citizen-consents-{language}.png"), full_page=True)
    page.goto(f"{journey_server.portal_url}/citizen/access")
    page.screenshot(path=str(screenshots / f"citizen-access-{language}.png"), full_page=True)
    page.goto(f"{journey_server.portal_url}/citizen/events")
    assert page.locator("h1").inner_text() == _("After a life event")
    context.close()
