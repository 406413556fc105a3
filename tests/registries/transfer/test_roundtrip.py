"""Export -> import into a fresh database -> export gives the same bytes, on both engines."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from registries.civil.models import CivilRecord
from registries.residence.models import ResidenceRecord
from registries.seed.service import seed_population
from registries.transfer.holdings import REGISTRIES
from registries.transfer.importer import import_file
from tests.registries.transfer.support import Engines, export_all, run_onedoor


def current_flags(engine: Engine) -> list[tuple[str, int, bool]]:
    with engine.connect() as connection:
        civil = connection.execute(
            select(CivilRecord.record_id, CivilRecord.version, CivilRecord.is_current)
        )
        residences = connection.execute(
            select(ResidenceRecord.person_id, ResidenceRecord.version, ResidenceRecord.is_current)
        )
        return sorted((*civil, *residences))


def test_export_import_round_trip_is_byte_identical(
    empty_database_url: str, other_database_url: str, engines: Engines, tmp_path: Path
) -> None:
    source = engines(empty_database_url)
    seed_population(source, persons=300, seed=5, batch_size=250)
    before = export_all(source, tmp_path / "before")
    target = engines(other_database_url)
    for registry in REGISTRIES:
        report = import_file(target, tmp_path / "before" / f"{registry}.xml", batch_size=333)
        assert (report.refused, report.errors) == (0, [])
        assert report.imported == report.read == before[registry].count(b"\n") - 3
    assert export_all(target, tmp_path / "after") == before
    assert current_flags(target) == current_flags(source)
    with target.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(ResidenceRecord)) > 300


def test_persons_csv_round_trip(engines: Engines, tmp_path: Path) -> None:
    source = engines(f"sqlite:///{tmp_path / 'a.db'}")
    seed_population(source, persons=200, seed=9)
    before = export_all(source, tmp_path / "before")
    target = engines(f"sqlite:///{tmp_path / 'b.db'}")
    report = import_file(target, tmp_path / "before" / "persons.csv")
    assert (report.imported, report.refused) == (200, 0)
    after = export_all(target, tmp_path / "after")
    assert after["persons.csv"] == before["persons.csv"]
    persons_xml = before["civil"].split(b"\n")
    assert [line for line in after["civil"].split(b"\n") if b"<p:Person" in line] == [
        line for line in persons_xml if b"<p:Person" in line
    ]


@pytest.mark.parametrize("file_format", ["xml", "csv"])
def test_export_and_import_commands(
    file_format: str,
    tmp_path: Path,
    engines: Engines,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    source_url = f"sqlite:///{tmp_path / 'source.db'}"
    seed_population(engines(source_url), persons=60, seed=2)
    out = tmp_path / f"civil.{file_format}"
    code, text, _ = run_onedoor(
        monkeypatch, capsys, source_url, tmp_path / "var", "registries", "export",
        "--registry", "civil", "--out", str(out), "--format", file_format,
    )  # fmt: skip
    assert code == 0
    assert text.startswith("exported ")
    target_url = f"sqlite:///{tmp_path / 'target.db'}"
    code, text, _ = run_onedoor(
        monkeypatch, capsys, target_url, tmp_path / "var", "registries", "import", str(out)
    )
    assert code == 0
    assert text.strip().endswith("(0 refused)")
    again = tmp_path / f"again.{file_format}"
    run_onedoor(
        monkeypatch, capsys, target_url, tmp_path / "var", "registries", "export",
        "--registry", "civil", "--out", str(again), "--format", file_format,
    )  # fmt: skip
    assert again.read_bytes() == out.read_bytes()
