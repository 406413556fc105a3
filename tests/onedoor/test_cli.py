"""The ``onedoor`` command: help everywhere, one clear line on bad input, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import click
import pytest
import typer
from typer.testing import CliRunner

from onedoor.cli import app

ONEDOOR = str(Path(sys.executable).parent / "onedoor")


def _command_paths(command: click.Command, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    paths = [prefix]
    if isinstance(command, click.Group):
        for name, sub in command.commands.items():
            paths.extend(_command_paths(sub, (*prefix, name)))
    return paths


ALL_COMMANDS = _command_paths(typer.main.get_command(app))


@pytest.mark.parametrize("path", ALL_COMMANDS, ids=lambda p: " ".join(p) or "onedoor")
def test_every_command_has_help(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(app, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage" in result.output


def _run(*args: str, tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith("ONEDOOR_")
    } | {"ONEDOOR_STATE_DIR": str(tmp_path / "var")} | env
    return subprocess.run(
        [ONEDOOR, *args], capture_output=True, text=True, env=environment, timeout=60, check=False
    )


def _assert_one_line_error(result: subprocess.CompletedProcess[str], fragment: str) -> None:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert fragment in lines[0]


def test_unreachable_database_is_one_line(tmp_path: Path) -> None:
    result = _run(
        "db", "upgrade", tmp_path=tmp_path,
        ONEDOOR_DATABASE_URL="postgresql+psycopg://onedoor:pw@127.0.0.1:1/onedoor",
    )
    _assert_one_line_error(result, "cannot connect to database")
    assert "pw@" not in result.stderr


def test_malformed_database_url_is_one_line(tmp_path: Path) -> None:
    result = _run("db", "current", tmp_path=tmp_path, ONEDOOR_DATABASE_URL="definitely not")
    _assert_one_line_error(result, "database_url")


def test_invalid_setting_value_is_one_line(tmp_path: Path) -> None:
    result = _run("db", "current", tmp_path=tmp_path, ONEDOOR_PORT="eighty")
    _assert_one_line_error(result, "port")


def test_db_upgrade_then_current_then_check(tmp_path: Path) -> None:
    assert _run("db", "upgrade", tmp_path=tmp_path).returncode == 0
    current = _run("db", "current", tmp_path=tmp_path)
    assert current.returncode == 0, current.stdout
    assert _run("db", "check", tmp_path=tmp_path).returncode == 0
