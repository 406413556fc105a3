"""``onedoor exchange provision``: the operator's way to set up every member gateway."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from exchange.central.globalconf import parse_global_configuration
from exchange.central.publisher import build_document
from exchange.cli import app
from exchange.messages.clock import utc_now
from exchange.xroad.identifiers import ClientId
from onedoor.config import get_settings
from onedoor.db import open_database, session_factory
from onedoor.migrate import upgrade


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("ONEDOOR_STATE_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("ONEDOOR_DATABASE_URL", url)
    monkeypatch.setenv("ONEDOOR_KEY_PASSPHRASE", "test")
    get_settings.cache_clear()
    engine = open_database(url)
    upgrade(engine)
    engine.dispose()
    yield url
    get_settings.cache_clear()


def test_provision_registers_every_member_at_its_address(database: str) -> None:
    result = CliRunner().invoke(
        app, ["provision", "--base-port", "9300",
              "--gateway-url", "LA/GOV/MOH=https://health.example:8443"],
    )
    assert result.exit_code == 0, result.output + repr(result.exception)
    assert "LA/GOV/MOHA: https://127.0.0.1:9300" in result.output
    engine = open_database(database)
    with session_factory(engine)() as session:
        configuration = parse_global_configuration(build_document(session, now=utc_now()))
    engine.dispose()
    health = configuration.member(ClientId("LA", "GOV", "MOH"))
    assert health.gateway_url == "https://health.example:8443"
    assert len(configuration.trusted_cas) == 2
    assert configuration.tsa_certificate is not None


def test_a_malformed_gateway_address_is_refused(database: str) -> None:
    result = CliRunner().invoke(app, ["provision", "--gateway-url", "LA/GOV/MOH"])
    assert result.exit_code != 0
    assert "MEMBER=URL" in str(result.exception)
