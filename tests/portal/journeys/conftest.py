"""PKI, IdP (with remote signing) and portal in one real uvicorn server, plus seed data.

The same server as ``journey_server`` (``tests.portal.journey:create_app``) with the PKI
initialised first, so citizens can get a signing key and PDFs get timestamps and OCSP data.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pyotp
import pytest
from playwright.sync_api import Browser, Page, Request

from exchange.transparency.keys import load_or_create_log_keys
from exchange.transparency.log import append_entries, sign_tree_head
from idp.accounts.rights import AccountKind
from idp.accounts.service import create_staff_account
from idp.mfa.keys import load_mfa_keys
from idp.mfa.service import confirm_totp, enrol_totp
from keys.bootstrap import ensure_pki
from keys.pki import load_pki
from keys.registry import record_pki_certificates
from onedoor.db import open_database, transaction
from onedoor.migrate import upgrade
from onedoor.runtime import create_runtime
from portal.oidc.registration import ensure_portal_client
from tests.idp.accounts.support import CHEAP_HASHER
from tests.portal.conftest import PASSPHRASE, REPO, PortalServer, portal_settings
from tests.portal.journey import PASSWORD, seed_catalogue
from tests.portal.privacy.conftest import access
from tests.support.ports import free_port, wait_for_http


@pytest.fixture(scope="session")
def full_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PortalServer]:
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    state_dir = tmp_path_factory.mktemp("full-server") / "var"
    settings = portal_settings(state_dir, base_url)
    ensure_pki(settings)
    engine = open_database(settings.database_url)
    upgrade(engine)
    runtime = create_runtime(settings, engine=engine)
    with transaction(runtime.sessions) as session:
        record_pki_certificates(session=session, pki=load_pki(settings))
    assert ensure_portal_client(runtime)
    with transaction(runtime.sessions) as session:
        seed_catalogue(session)
    env = {k: v for k, v in os.environ.items() if not k.startswith("ONEDOOR_")}
    env.update(ONEDOOR_STATE_DIR=str(state_dir), ONEDOOR_KEY_PASSPHRASE=PASSPHRASE,
               ONEDOOR_BASE_URL=base_url, ONEDOOR_LOG_LEVEL="WARNING")
    log = (state_dir.parent / "uvicorn.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--factory", "tests.portal.journey:create_app",
         "--host", "127.0.0.1", "--port", str(port), "--no-access-log"],
        cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    try:
        wait_for_http(f"{base_url}/portal/health", timeout=60)
        yield PortalServer(base_url=base_url, portal_url=f"{base_url}/portal", runtime=runtime)
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()
        engine.dispose()


def new_dpo(server: PortalServer) -> tuple[str, pyotp.TOTP]:
    """A data-protection officer with an authenticator app (confirmed with the previous code)."""
    runtime = server.runtime
    now = datetime.now(UTC)
    keys = load_mfa_keys(runtime.settings, create=True)
    login = f"dpo-{uuid.uuid4().hex[:8]}"
    with transaction(runtime.sessions) as session:
        account = create_staff_account(
            session, kind=AccountKind.DATA_PROTECTION_OFFICER, login=login,
            display_name="Vanh Keomany", password=PASSWORD, now=now,
            password_must_change=False, hasher=CHEAP_HASHER,
        )
        enrolment = enrol_totp(session, account_id=account.id, keys=keys, now=now)
        totp = pyotp.TOTP(enrolment.secret)
        confirm_totp(session, account_id=account.id, authenticator_id=enrolment.authenticator_id,
                     code=totp.at(now - timedelta(seconds=30)), keys=keys, now=now)
    return login, totp


def seed_log(server: PortalServer, person_id: str) -> None:
    """Accesses to ``person_id`` and others in the server's transparency log, and a tree head."""
    keys = load_or_create_log_keys(server.runtime.settings)
    now = datetime.now(UTC)
    with transaction(server.runtime.sessions) as session:
        for event in [
            access("LA/GOV/MOES/school", person_id, when=now - timedelta(days=3)),
            access("LA/GOV/MOH/clinic", person_id, user="nurse-3", when=now - timedelta(days=1)),
            *(access("LA/GOV/MOH/clinic", f"LA{i:010d}", user="nurse-9", outcome="refused",
                     when=now) for i in range(3)),
        ]:
            append_entries(session, entries=[event], pseudonymizer=keys.pseudonymizer)
        sign_tree_head(session, signer=keys.signer)


class RequestLog:
    """Every URL the browser asked for, to prove no personal data travelled in one."""

    def __init__(self, page: Page) -> None:
        self.urls: list[str] = []
        page.context.on("request", self._record)

    def _record(self, request: Request) -> None:
        self.urls.append(request.url)

    def assert_none_contains(self, *secrets: str) -> None:
        assert self.urls, "no request recorded"
        for url in self.urls:
            for secret in secrets:
                assert secret not in url, f"{secret!r} leaked into {url}"


@pytest.fixture
def journey_page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(locale="lo-LA", viewport={"width": 1280, "height": 900},
                                  accept_downloads=True)
    context.set_default_timeout(20_000)
    yield context.new_page()
    context.close()


def idp_sign_in(page: Page, login: str, password: str, code: str) -> None:
    """The IdP's password then code pages (by field name: they speak the reader's language)."""
    page.locator("input[name=login]").fill(login)
    page.locator("input[name=password]").fill(password)
    page.locator("form button[type=submit]").last.click()
    page.locator("input[name=code]").fill(code)
    page.locator("form button[type=submit]").last.click()
