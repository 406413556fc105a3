"""``onedoor exchange export`` and ``verify``: a DPO checks a gateway's log offline."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from exchange.cli import app
from exchange.gateway import messagelog
from exchange.xroad.identifiers import ClientId
from onedoor.config import get_settings
from onedoor.db import open_database, session_factory, transaction
from onedoor.migrate import upgrade

GATEWAY = ClientId("LA", "GOV", "MOH")


@pytest.fixture
def logged(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    url = f"sqlite:///{tmp_path / 'log.db'}"
    monkeypatch.setenv("ONEDOOR_STATE_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("ONEDOOR_DATABASE_URL", url)
    get_settings.cache_clear()
    engine = open_database(url)
    upgrade(engine)
    with transaction(session_factory(engine)) as session:
        for n in range(1, 4):
            messagelog.append(
                session, gateway=GATEWAY, log_key=bytes(32), now=datetime.now(UTC),
                message=messagelog.LoggedMessage(
                    role="provider", kind="request", message_id=f"m-{n}", client="LA/GOV/MOF/A",
                    service="LA/GOV/MOH/REG/persons", request_hash="h", wire="w",
                    headers={}, body=b"b",
                ),
            )
    engine.dispose()
    yield tmp_path
    get_settings.cache_clear()


def test_export_then_verify_then_detect_a_change(logged: Path) -> None:
    runner = CliRunner()
    assert "ok: 3" in runner.invoke(app, ["verify", "--gateway", str(GATEWAY)]).output
    container = logged / "log.json"
    exported = runner.invoke(app, ["export", "--gateway", str(GATEWAY), "--output", str(container)])
    assert exported.exit_code == 0, exported.output
    assert "ok: 3" in runner.invoke(app, ["verify", "--container", str(container)]).output
    data = json.loads(container.read_text())
    data["records"][1]["client"] = "LA/GOV/EVIL/A"
    container.write_text(json.dumps(data))
    result = runner.invoke(app, ["verify", "--container", str(container)])
    assert result.exit_code == 1
    assert "row 2" in result.output


def test_verify_needs_exactly_one_source(logged: Path) -> None:
    result = CliRunner().invoke(app, ["verify"])
    assert result.exit_code != 0
