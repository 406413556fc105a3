"""``onedoor audit`` from a data-protection officer's terminal (SQLite state dir)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from exchange.transparency.cli import app
from exchange.transparency.keys import load_or_create_log_keys
from exchange.transparency.log import append_entries
from onedoor.config import Settings, get_settings
from onedoor.db import open_database, session_factory, transaction
from onedoor.migrate import upgrade
from tests.exchange.transparency.conftest import T0, event


@pytest.fixture
def state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Settings]:
    """A migrated SQLite state dir with 20 logged accesses, selected through the environment."""
    monkeypatch.setenv("ONEDOOR_STATE_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("ONEDOOR_KEY_PASSPHRASE", "cli passphrase")
    monkeypatch.delenv("ONEDOOR_DATABASE_URL", raising=False)
    monkeypatch.delenv("ONEDOOR_ENVIRONMENT", raising=False)
    get_settings.cache_clear()
    settings = get_settings()
    engine = open_database(settings.database_url)
    upgrade(engine)
    keys = load_or_create_log_keys(settings)
    with transaction(session_factory(engine)) as session:
        append_entries(
            session, entries=[event(i) for i in range(20)], pseudonymizer=keys.pseudonymizer
        )
    engine.dispose()
    yield settings
    get_settings.cache_clear()


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def test_sign_then_verify(state: Settings) -> None:
    code, out, _ = _run("sign")
    assert code == 0 and json.loads(out)["tree_size"] == 20
    code, out, _ = _run("verify")
    assert code == 0 and out.startswith("ok: 20 entries")


def test_verify_names_the_tampered_entry_and_fails(state: Settings) -> None:
    engine = open_database(state.database_url)
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM tlog_entries WHERE seq = 11"))
    engine.dispose()
    code, _, err = _run("verify")
    assert code == 1
    assert "TAMPERED at entry 11" in err


def test_search_by_national_id_and_by_member(state: Settings) -> None:
    code, out, _ = _run("search", "--subject-id", "10000002")
    assert code == 0
    assert [json.loads(line)["seq"] for line in out.splitlines()] == [16, 9, 2]
    assert "10000002" not in out
    code, out, _ = _run(
        "search", "--member", "LA/GOV/MIN0/benefits", "--limit", "2", "--since", T0.isoformat()
    )
    assert [json.loads(line)["seq"] for line in out.splitlines()] == [18, 15]


def test_export_csv_to_a_file_and_json_to_stdout(state: Settings, tmp_path: Path) -> None:
    target = tmp_path / "audit.csv"
    code, _, err = _run(
        "export", "--format", "csv", "--output", str(target), "--user-id", "officer-1"
    )
    assert code == 0 and "exported 5 entries" in err
    assert target.read_text().splitlines()[0].startswith("sequence,time,member")
    code, out, _ = _run("export", "--format", "json", "--purpose", "child-allowance")
    assert code == 0 and len(json.loads(out)) == 20
    code, _, _ = _run("export", "--format", "xml")
    assert code == 2


def test_anomalies_over_a_window(state: Settings) -> None:
    code, out, _ = _run(
        "anomalies",
        "--since",
        "2026-03-01T00:00:00",
        "--until",
        "2026-03-02T00:00:00",
        "--max-subjects-per-user",
        "1",
    )
    assert code == 0
    flagged = [json.loads(line) for line in out.splitlines()]
    assert {(a["kind"], a["user_id"]) for a in flagged} >= {("many_subjects", "officer-0")}
