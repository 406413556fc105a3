"""A citizen signs an application in Debian's Chromium: TOTP sign-in, a signing key, the
verification code, a fresh TOTP code, and a PAdES B-LT PDF that validates; Lao and English.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from idp.signing.render import sample_application
from idp.signing.validation import Indication, validate_pdf
from keys.pki import load_pki
from onedoor.db import transaction
from portal.citizen.documents import request_signature
from tests.portal.conftest import PortalServer
from tests.portal.journey import Citizen, new_citizen
from tests.portal.journeys.conftest import RequestLog, idp_sign_in

pytestmark = [pytest.mark.slow,
              pytest.mark.filterwarnings("ignore::ResourceWarning"),
              pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")]


LABELS = {
    "lo": {"sign_in": "ເຂົ້າສູ່ລະບົບ", "documents": "ເອກະສານທີ່ຕ້ອງລົງລາຍເຊັນ", "open": "ເປີດ",
           "create": "ສ້າງກະແຈລົງລາຍເຊັນຂອງຂ້ອຍ", "sign_this": "ລົງລາຍເຊັນເອກະສານນີ້",
           "sign": "ລົງລາຍເຊັນ", "signed": "ລົງລາຍເຊັນແລ້ວ", "back": "ກັບຄືນເອກະສານຂອງທ່ານ",
           "wrong": "ລະຫັດນັ້ນບໍ່ຖືກຕ້ອງ"},
    "en": {"sign_in": "Sign in", "documents": "Documents to sign", "open": "Open",
           "create": "Create my signing key", "sign_this": "Sign this document", "sign": "Sign",
           "signed": "Signed", "back": "Back to your documents",
           "wrong": "That code is not correct"},
}


@pytest.fixture(params=["lo", "en"])
def language(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def citizen_page(browser: Browser, language: str) -> Iterator[Page]:
    context = browser.new_context(locale="lo-LA" if language == "lo" else "en-GB",
                                  viewport={"width": 1280, "height": 900}, accept_downloads=True)
    context.set_default_timeout(20_000)
    yield context.new_page()
    context.close()


def sign_in(page: Page, server: PortalServer, citizen: Citizen, *, button: str) -> str:
    """Sign in with the app's current code; returns that code (spent now)."""
    assert citizen.totp is not None
    code = citizen.totp.now()
    page.goto(f"{server.portal_url}/citizen/")
    page.get_by_role("link", name=button).first.click()
    idp_sign_in(page, citizen.login, citizen.password, code)
    page.wait_for_url(f"{server.portal_url}/citizen/")
    return code


def test_a_citizen_signs_an_application_and_the_pdf_validates(
    citizen_page: Page, language: str, full_server: PortalServer, screenshots: Path,
    tmp_path: Path,
) -> None:
    page, labels = citizen_page, LABELS[language]
    requests = RequestLog(page)
    citizen = new_citizen(full_server.runtime)
    assert citizen.totp is not None
    now = datetime.now(UTC)
    reference = f"APP-2026-{now.microsecond:06d}"
    application = replace(sample_application(now, person_id=citizen.person_id),
                          reference=reference)
    with transaction(full_server.runtime.sessions) as session:
        request_signature(session, person_id=citizen.person_id, application=application,
                          now=int(now.timestamp()))
    spent = sign_in(page, full_server, citizen, button=labels["sign_in"])
    page.screenshot(path=str(screenshots / f"citizen-home-documents-{language}.png"),
                    full_page=True)
    page.get_by_role("link", name=labels["documents"]).first.click()
    page.get_by_role("link", name=labels["open"]).first.click()
    page.get_by_role("button", name=labels["create"]).click()  # no signing key yet
    page.screenshot(path=str(screenshots / f"citizen-document-{language}.png"), full_page=True)
    page.get_by_role("button", name=labels["sign_this"]).click()
    code = page.locator("#verification-code").inner_text()
    assert re.fullmatch(r"\d{4}", code)
    page.screenshot(path=str(screenshots / f"citizen-sign-confirm-{language}.png"),
                    full_page=True)

    # The sign-in's code again: a replay, refused (RFC 6238 section 5.2); nothing is signed.
    page.locator("#code").fill(spent)
    page.get_by_role("button", name=labels["sign"], exact=True).click()
    assert labels["wrong"] in page.locator(".problem").inner_text()
    assert page.locator("#verification-code").inner_text() == code  # the same hash still

    page.locator("#code").fill(citizen.totp.at(datetime.now(UTC) + timedelta(seconds=30)))
    page.get_by_role("button", name=labels["sign"], exact=True).click()
    page.locator("#document-state").wait_for()
    page.screenshot(path=str(screenshots / f"citizen-signed-{language}.png"), full_page=True)
    with page.expect_download() as download:
        page.locator("#download-signed").click()
    target = tmp_path / "signed.pdf"
    download.value.save_as(target)
    page.get_by_role("link", name=labels["back"]).click()
    assert page.locator("#documents td", has_text=labels["signed"]).count() == 1

    root = load_pki(full_server.runtime.settings).root
    with ThreadPoolExecutor(1) as pool:  # Playwright's loop runs in this thread
        report = pool.submit(validate_pdf, target.read_bytes(), trust_roots=[root]).result()
    assert report.indication is Indication.TOTAL_PASSED, report.text()
    assert report.signatures[0].timestamp is not None
    requests.assert_none_contains(citizen.person_id, citizen.login, reference)
