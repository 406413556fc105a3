"""An officer in Debian's Chromium: a security key through the DevTools virtual authenticator.

Enrol the first key with the one-time token, log in with password + WebAuthn, find and verify
a mother, register her child's birth in one screen and see what every ministry did; in Lao,
then in English. Screenshots go to test-artifacts/screenshots/.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from idp.accounts.rights import AccountKind
from idp.accounts.service import create_centre, create_staff_account
from idp.enrolment import issue_enrolment_token
from idp.mfa.keys import load_mfa_keys
from idp.oidc.strings import text_for
from onedoor.db import open_database, transaction
from onedoor.migrate import upgrade
from onedoor.runtime import Runtime, create_runtime
from portal.oidc.registration import ensure_portal_client
from registries.reactions.subscribe import subscribe_ministries
from tests.idp.accounts.support import CHEAP_HASHER
from tests.portal.conftest import PASSPHRASE, REPO, portal_settings
from tests.portal.officer.conftest import Family, new_family
from tests.support.ports import free_port, wait_for_http

pytestmark = pytest.mark.slow
PASSWORD = "mango tree by the river"


@dataclass(frozen=True)
class Server:
    base_url: str
    runtime: Runtime


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    port = free_port()
    base_url = f"http://localhost:{port}"
    state_dir = tmp_path_factory.mktemp("officer-server") / "var"
    settings = portal_settings(state_dir, base_url)
    engine = open_database(settings.database_url)
    upgrade(engine)
    runtime = create_runtime(settings, engine=engine)
    assert ensure_portal_client(runtime)
    with transaction(runtime.sessions) as session:
        subscribe_ministries(session, now=datetime.now(UTC))
    env = {k: v for k, v in os.environ.items() if not k.startswith("ONEDOOR_")}
    env.update(ONEDOOR_STATE_DIR=str(state_dir), ONEDOOR_KEY_PASSPHRASE=PASSPHRASE,
               ONEDOOR_BASE_URL=base_url, ONEDOOR_LOG_LEVEL="WARNING")
    log = (state_dir.parent / "uvicorn.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--factory", "tests.portal.officer.server:create_app",
         "--host", "127.0.0.1", "--port", str(port), "--no-access-log"],
        cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    try:
        wait_for_http(f"http://127.0.0.1:{port}/portal/health", timeout=60)
        yield Server(base_url, runtime)
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()
        engine.dispose()


def new_officer(runtime: Runtime) -> tuple[str, str]:
    """An officer of a new centre and the enrolment token an operator would hand over."""
    suffix = uuid.uuid4().hex[:8]
    now = datetime.now(UTC)
    keys = load_mfa_keys(runtime.settings, create=True)
    with transaction(runtime.sessions) as session:
        create_centre(session, code=f"VTE-{suffix[:4]}", name_lo="ສູນບໍລິການປະຕູດຽວ",
                      name_en="One-door centre", province="VTE", now=now)
        create_staff_account(
            session, kind=AccountKind.OFFICER, login=f"officer-{suffix}",
            display_name="Keo Sisavath", password=PASSWORD, now=now,
            centre_code=f"VTE-{suffix[:4]}", hasher=CHEAP_HASHER,
        )
        token = issue_enrolment_token(session, login=f"officer-{suffix}", keys=keys, now=now)
    return f"officer-{suffix}", token


def with_security_key(page: Page) -> None:
    """A USB CTAP2 key in Chromium's WebAuthn virtual authenticator (DevTools protocol)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable", {"enableUI": False})
    cdp.send("WebAuthn.addVirtualAuthenticator", {"options": {
        "protocol": "ctap2", "transport": "usb", "hasResidentKey": False,
        "hasUserVerification": True, "isUserVerified": True,
        "automaticPresenceSimulation": True,
    }})


@pytest.fixture
def officer_page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(locale="lo-LA", viewport={"width": 1280, "height": 1000})
    context.set_default_timeout(15_000)
    page = context.new_page()
    with_security_key(page)
    yield page
    context.close()


def enrol_and_sign_in(page: Page, server: Server, login: str, token: str) -> None:
    page.goto(f"{server.base_url}/idp/enrol")
    idp = text_for(page.locator("html").get_attribute("lang") or "lo")
    page.get_by_label(idp["enrol_token_label"]).fill(token)
    page.get_by_role("button", name=idp["code_button"]).click()
    page.get_by_role("button", name=idp["enrol_button"]).click()
    page.get_by_text(idp["key_registered"]).wait_for()
    page.goto(f"{server.base_url}/portal/officer/")
    page.get_by_role("link", name="ເຂົ້າສູ່ລະບົບ").first.click()
    page.locator('input[name="login"]').wait_for()
    idp = text_for(page.locator("html").get_attribute("lang") or "lo")  # follows ui_locales
    page.get_by_label(idp["login_label"]).fill(login)
    page.get_by_label(idp["password_label"]).fill(PASSWORD)
    page.get_by_role("button", name=idp["login_button"]).click()
    page.get_by_role("button", name=idp["key_button"]).click()
    page.wait_for_url(f"{server.base_url}/portal/officer/")


def register_birth(page: Page, parent: str, *, given: str, roman: str, father: str = "") -> int:
    """Find the parent, verify, register the birth in one screen; returns the outcome count."""
    page.locator("#person_id").fill(parent)
    page.locator("form[action$='/officer/person'] button").click()
    page.locator("dl.facts").wait_for()
    page.locator("form[action$='/officer/births/new'] button").click()
    page.locator("#given_name").fill(given)
    page.locator("#family_name").fill("ພົມມະວົງ")
    page.locator("#given_name_roman").fill(roman)
    page.locator("#family_name_roman").fill("Phommavong")
    page.locator("input[name=sex][value=F]").check()
    page.locator("#birth_date").fill("2025-02-20")
    page.locator("#district").select_option("0601")
    if father:
        page.locator("#father_id").fill(father)
    page.locator("form[action$='/officer/births'] button[type=submit]").click()
    page.locator("ol.outcomes").wait_for()
    return page.locator("ol.outcomes li").count()


def test_an_officer_registers_a_birth_with_a_security_key_in_lao_and_english(
    officer_page: Page, server: Server, screenshots: Path
) -> None:
    page = officer_page
    login, token = new_officer(server.runtime)
    family: Family = new_family(server.runtime.sessions)
    enrol_and_sign_in(page, server, login, token)
    assert page.locator("html").get_attribute("lang") == "lo"
    page.screenshot(path=str(screenshots / "officer-desk-lo.png"), full_page=True)
    done = register_birth(page, family.mother.value, given="ນ້ອຍ", roman="Noy",
                          father=family.father.value)
    assert done >= 4
    heading = page.locator("h2").filter(has_text=re.compile("ຍ້ອນທ່ານໄດ້ແຈ້ງເກີດ"))
    assert heading.inner_text().find(str(done)) >= 0
    page.screenshot(path=str(screenshots / "officer-birth-outcomes-lo.png"), full_page=True)
    page.get_by_role("button", name="English").click()
    page.wait_for_selector("html[lang=en]")
    assert page.get_by_text(f"Because you registered the birth, these {done} things were done"
                            ).is_visible()
    page.screenshot(path=str(screenshots / "officer-birth-outcomes-en.png"), full_page=True)
    page.get_by_role("link", name="Back to the desk").click()
    assert page.get_by_text("Birth registration").first.is_visible()
    second = register_birth(page, family.mother.value, given="ນາລີ", roman="Naly")
    assert second >= 4
    page.screenshot(path=str(screenshots / "officer-birth-outcomes-en-2.png"), full_page=True)
