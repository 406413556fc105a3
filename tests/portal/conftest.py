"""Portal fixtures: an in-process client, a real uvicorn server, and Chromium driven by Playwright.

Browser fixtures (``portal_server``, ``browser``, ``page``) are shared by every journey test
under tests/portal/. Chromium is Debian's (``apt-get install chromium``); Playwright's own
browser download is never used.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from onedoor.config import Settings
from onedoor.db import open_database
from onedoor.migrate import upgrade
from onedoor.runtime import Runtime, create_runtime
from portal.app import create_app
from portal.config import PortalConfig
from tests.support.ports import free_port, wait_for_http

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO / "test-artifacts" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
PASSPHRASE = "portal test passphrase"


def portal_settings(state_dir: Path, base_url: str = "http://127.0.0.1:8000") -> Settings:
    return Settings(state_dir=state_dir, key_passphrase=PASSPHRASE, base_url=base_url)


@pytest.fixture(scope="session")
def portal_runtime(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Runtime]:
    """A SQLite database migrated to the portal branch, shared by the in-process tests."""
    settings = portal_settings(tmp_path_factory.mktemp("portal") / "var")
    engine = open_database(settings.database_url)
    upgrade(engine, "portal@head")
    yield create_runtime(settings, engine=engine)
    engine.dispose()


def mounted(portal: FastAPI) -> FastAPI:
    """The portal under /portal, as the demo mounts it."""
    root = FastAPI()
    root.mount("/portal", portal)
    return root


@pytest.fixture
def portal_app(portal_runtime: Runtime) -> FastAPI:
    return create_app(portal_runtime)


@pytest.fixture
def client(portal_app: FastAPI) -> Iterator[TestClient]:
    """A client of the portal mounted at /portal; the base URL makes ``Origin`` checks real."""
    with TestClient(
        mounted(portal_app), base_url="http://127.0.0.1:8000", raise_server_exceptions=False,
        follow_redirects=False,
    ) as test_client:
        yield test_client


def client_for(runtime: Runtime, config: PortalConfig) -> TestClient:
    return TestClient(
        mounted(create_app(runtime, config=config)), base_url="http://127.0.0.1:8000",
        follow_redirects=False,
    )


@dataclass(frozen=True)
class PortalServer:
    base_url: str
    portal_url: str
    runtime: Runtime


@pytest.fixture(scope="session")
def portal_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PortalServer]:
    """A real uvicorn process on a free loopback port serving the portal at /portal."""
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    state_dir = tmp_path_factory.mktemp("portal-server") / "var"
    settings = portal_settings(state_dir, base_url)
    engine = open_database(settings.database_url)
    upgrade(engine, "portal@head")
    env = {k: v for k, v in os.environ.items() if not k.startswith("ONEDOOR_")}
    env.update(
        ONEDOOR_STATE_DIR=str(state_dir), ONEDOOR_KEY_PASSPHRASE=PASSPHRASE,
        ONEDOOR_BASE_URL=base_url, ONEDOOR_LOG_LEVEL="WARNING",
    )
    log = (state_dir.parent / "uvicorn.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--factory", "tests.portal.server:create_app",
         "--host", "127.0.0.1", "--port", str(port), "--no-access-log"],
        cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    try:
        wait_for_http(f"{base_url}/portal/health", timeout=60)
        yield PortalServer(
            base_url=base_url, portal_url=f"{base_url}/portal",
            runtime=create_runtime(settings, engine=engine),
        )
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()
        engine.dispose()


@pytest.fixture(scope="session")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    """Debian's headless Chromium; Playwright gives it a fresh temporary user-data dir."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} not found: apt-get install -y chromium", pytrace=False)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("Playwright is missing: pip install 'playwright>=1.45,<2'", pytrace=False)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS,
            downloads_path=str(tmp_path_factory.mktemp("downloads")),
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A page in a new browser context: no cookies, no cache, nothing from earlier tests."""
    context = browser.new_context(locale="lo-LA", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS



@pytest.fixture(scope="session")
def journey_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PortalServer]:
    """The identity provider (/idp) and the portal (/portal) in one real uvicorn server.

    The portal is registered with ``ensure_portal_client`` before start, as the demo does;
    its back-channel calls go over HTTP to this same server.
    """
    from portal.oidc.registration import ensure_portal_client
    from tests.portal.journey import seed_catalogue

    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    state_dir = tmp_path_factory.mktemp("journey-server") / "var"
    settings = portal_settings(state_dir, base_url)
    engine = open_database(settings.database_url)
    upgrade(engine)
    runtime = create_runtime(settings, engine=engine)
    assert ensure_portal_client(runtime)
    assert ensure_portal_client(runtime) == []  # idempotent
    with runtime.sessions() as session, session.begin():
        seed_catalogue(session)
    env = {k: v for k, v in os.environ.items() if not k.startswith("ONEDOOR_")}
    env.update(
        ONEDOOR_STATE_DIR=str(state_dir), ONEDOOR_KEY_PASSPHRASE=PASSPHRASE,
        ONEDOOR_BASE_URL=base_url, ONEDOOR_LOG_LEVEL="WARNING",
    )
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
