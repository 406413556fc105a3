"""``onedoor idp client add`` and ``onedoor idp keys rotate``."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from idp.cli import app
from onedoor.config import get_settings
from onedoor.db import open_database
from onedoor.migrate import upgrade
from tests.idp.oidc.conftest import ec_jwk


@pytest.fixture
def environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("ONEDOOR_STATE_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("ONEDOOR_KEY_PASSPHRASE", "cli passphrase")
    get_settings.cache_clear()
    engine = open_database(get_settings().database_url)
    upgrade(engine)
    engine.dispose()
    yield tmp_path
    get_settings.cache_clear()


def test_client_add_prints_secret_once_and_endpoints(environment: Path) -> None:
    result = CliRunner().invoke(
        app,
        [
            "client",
            "add",
            "--name",
            "Portal",
            "--auth-method",
            "client_secret_basic",
            "--redirect-uri",
            "https://portal.example/cb",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "client_secret:" in result.output and "token_endpoint:" in result.output
    secret = result.output.split("client_secret:")[1].split()[0]
    listing = CliRunner().invoke(app, ["client", "list"])
    assert "Portal" in listing.output and secret not in listing.output


def test_client_add_with_jwks_file_and_key_rotation(environment: Path) -> None:
    _, jwks = ec_jwk()
    path = environment / "jwks.json"
    path.write_text(json.dumps(jwks))
    result = CliRunner().invoke(
        app,
        [
            "client",
            "add",
            "--name",
            "Tax",
            "--grant-type",
            "client_credentials",
            "--jwks-file",
            str(path),
            "--scope",
            "tax.read",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "client_secret:" not in result.output
    rotated = CliRunner().invoke(app, ["keys", "rotate"])
    assert rotated.exit_code == 0 and "new ES256 key" in rotated.output
    CliRunner().invoke(app, ["keys", "rotate"])
    listing = CliRunner().invoke(app, ["keys", "list"]).output
    assert listing.count("active") == 2 and listing.count("retired, published") == 2
