"""Helpers for seeding, exporting and running the ``onedoor`` command in registry tests."""

from __future__ import annotations

import sys
import uuid
from pathlib import Path

import pytest
from sqlalchemy import Engine

from onedoor.config import get_settings
from onedoor.db import open_database
from onedoor.migrate import upgrade
from registries.transfer.export import export_registry
from registries.transfer.holdings import REGISTRIES


def new_database_url(like: str, request: pytest.FixtureRequest, folder: Path) -> str:
    """Another empty database on the same engine as ``like``."""
    if like.startswith("sqlite"):
        return f"sqlite:///{folder / f'{uuid.uuid4().hex}.db'}"
    server = request.getfixturevalue("postgres_server")
    url: str = server.create_database(f"t_{uuid.uuid4().hex[:16]}")
    return url


class Engines:
    """Opens migrated engines and disposes of all of them at the end of a test."""

    def __init__(self) -> None:
        self._open: list[Engine] = []

    def __call__(self, url: str) -> Engine:
        engine = open_database(url)
        self._open.append(engine)
        upgrade(engine)
        return engine

    def dispose(self) -> None:
        for engine in self._open:
            engine.dispose()


def export_all(engine: Engine, folder: Path) -> dict[str, bytes]:
    """Every registry's XML export, plus the persons CSV, as bytes."""
    folder.mkdir(parents=True, exist_ok=True)
    exports: dict[str, bytes] = {}
    for registry in REGISTRIES:
        path = folder / f"{registry}.xml"
        export_registry(engine, registry=registry, out=path)
        exports[registry] = path.read_bytes()
    csv_path = folder / "persons.csv"
    export_registry(engine, registry="civil", out=csv_path, fmt="csv")
    exports["persons.csv"] = csv_path.read_bytes()
    return exports


def run_onedoor(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    database_url: str,
    state_dir: Path,
    *args: str,
) -> tuple[int, str, str]:
    """Run ``onedoor ARGS`` as the console script does: (exit status, stdout, stderr)."""
    from onedoor.cli import main

    monkeypatch.setenv("ONEDOOR_DATABASE_URL", database_url)
    monkeypatch.setenv("ONEDOOR_STATE_DIR", str(state_dir))
    monkeypatch.setattr(sys, "argv", ["onedoor", *args])
    get_settings.cache_clear()
    try:
        with pytest.raises(SystemExit) as exited:
            main()
    finally:
        get_settings.cache_clear()
    captured = capsys.readouterr()
    code = exited.value.code
    return (code if isinstance(code, int) else 1), captured.out, captured.err
