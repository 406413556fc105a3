"""A data-protection officer in Debian's Chromium: sign in with TOTP, find a citizen's accesses
by the person identifier typed in a form, download them, verify the log, read the chart.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from schemas.identifiers import PersonId
from tests.portal.conftest import PortalServer
from tests.portal.journey import PASSWORD
from tests.portal.journeys.conftest import RequestLog, idp_sign_in, new_dpo, seed_log

pytestmark = pytest.mark.slow
LABELS = {
    "lo": {"sign_in": "ເຂົ້າສູ່ລະບົບ", "search": "ຄົ້ນຫາ", "csv": "ດາວໂຫຼດ CSV",
           "new": "ຄົ້ນຫາໃໝ່", "verify": "ກວດສອບຄວາມຖືກຕ້ອງຄົບຖ້ວນ", "intact": "ບັນທຶກຄົບຖ້ວນ",
           "back": "ກັບຄືນໜ້າຄວບຄຸມ", "chart": "ການເຂົ້າເຖິງຕາມເວລາ, ແຍກຕາມອົງການ",
           "anomalies": "ສະແດງລາຍງານຄວາມຜິດປົກກະຕິ", "refused": "ຖືກປະຕິເສດຫຼາຍຄັ້ງ"},
    "en": {"sign_in": "Sign in", "search": "Search", "csv": "Download CSV", "new": "New search",
           "verify": "Verify integrity", "intact": "The log is intact",
           "back": "Back to the console", "chart": "Accesses over time, per organisation",
           "anomalies": "Show the anomaly report", "refused": "Refused many times"},
}


@pytest.fixture(params=["lo", "en"])
def language(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def dpo_page(browser: Browser, language: str) -> Iterator[Page]:
    context = browser.new_context(locale="lo-LA" if language == "lo" else "en-GB",
                                  viewport={"width": 1280, "height": 900}, accept_downloads=True)
    context.set_default_timeout(20_000)
    yield context.new_page()
    context.close()


def test_a_dpo_finds_exports_and_verifies_accesses(
    dpo_page: Page, language: str, full_server: PortalServer, screenshots: Path,
    tmp_path: Path,
) -> None:
    page, labels = dpo_page, LABELS[language]
    requests = RequestLog(page)
    person = PersonId.issue(province=5 if language == "lo" else 6, serial=4242).value
    seed_log(full_server, person)
    login, totp = new_dpo(full_server)
    page.goto(f"{full_server.portal_url}/privacy/")
    page.get_by_role("link", name=labels["sign_in"]).first.click()
    idp_sign_in(page, login, PASSWORD, totp.now())
    page.wait_for_url(f"{full_server.portal_url}/privacy/")
    page.screenshot(path=str(screenshots / f"privacy-console-{language}.png"), full_page=True)

    page.locator("#person_id").fill(person)
    page.locator("#search-form button[type=submit]").first.click()
    rows = page.locator("#entries tbody tr")
    rows.first.wait_for()
    assert rows.count() == 2
    assert "nurse-3" in page.locator("#entries").inner_text()
    page.screenshot(path=str(screenshots / f"privacy-results-{language}.png"), full_page=True)
    with page.expect_download() as download:
        page.get_by_role("button", name=labels["csv"]).click()
    target = tmp_path / "export.csv"
    download.value.save_as(target)
    exported = list(csv.DictReader(io.StringIO(target.read_text())))
    assert [row["member"] for row in exported] == ["LA/GOV/MOES/school", "LA/GOV/MOH/clinic"]

    page.get_by_role("link", name=labels["new"]).click()
    page.get_by_role("button", name=labels["verify"]).click()
    assert labels["intact"] in page.locator("#verify-result").inner_text()
    assert int(page.locator("#tree-size").inner_text()) >= 5
    assert len(page.locator("#root-hash").inner_text()) == 64
    page.screenshot(path=str(screenshots / f"privacy-verify-{language}.png"), full_page=True)

    page.get_by_role("link", name=labels["back"]).click()
    page.get_by_role("button", name=labels["anomalies"]).click()
    page.locator("main h1").wait_for()
    page.screenshot(path=str(screenshots / f"privacy-anomalies-{language}.png"), full_page=True)
    page.get_by_role("link", name=labels["back"]).click()
    page.get_by_role("link", name=labels["chart"]).click()
    assert page.locator("svg.chart polyline").count() >= 2
    assert page.locator("#chart-data tbody tr").count() == 30
    page.screenshot(path=str(screenshots / f"privacy-chart-{language}.png"), full_page=True)
    requests.assert_none_contains(person, login)
