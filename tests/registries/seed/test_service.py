"""Seeding writes a deterministic population, once, and the demo can show some of its persons."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from onedoor.config import Settings
from onedoor.runtime import create_runtime
from registries.civil import service as civil
from registries.civil.models import CivilPerson
from registries.familybook import service as familybook
from registries.residence import service as residence
from registries.seed.errors import SeedRefusedError
from registries.seed.service import (
    count_persons,
    sample_person_ids,
    seed_if_empty,
    seed_population,
)
from schemas.identifiers import PersonId
from tests.registries.transfer.support import Engines, export_all, run_onedoor


def test_seed_if_empty_seeds_once_only(
    empty_database_url: str, settings: Settings, engines: Engines
) -> None:
    runtime = create_runtime(settings, engine=engines(empty_database_url))
    first = seed_if_empty(runtime, persons=120, seed=3)
    assert first.startswith("synthetic population: 120 persons in ")
    assert first.endswith(" households (seed 3)")
    second = seed_if_empty(runtime, persons=500, seed=3)
    assert second == "synthetic population: 120 persons already registered"
    assert count_persons(runtime.engine) == 120

    samples = sample_person_ids(runtime, count=3)
    assert len(samples) == 3
    with runtime.sessions() as session:
        for text in samples:
            pid = PersonId.parse(text)
            person = civil.get_person(session, person_id=pid)
            assert "deathDate" not in person
            assert familybook.household_of(session, person_id=pid)["headId"] == text
            residence.current_residence(session, person_id=pid)


def test_seeding_a_registry_that_holds_persons_is_refused(
    empty_database_url: str, engines: Engines
) -> None:
    engine = engines(empty_database_url)
    seed_population(engine, persons=10)
    with pytest.raises(SeedRefusedError):
        seed_population(engine, persons=10)
    with pytest.raises(SeedRefusedError):
        seed_population(engine, persons=0)
    with engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(CivilPerson)) == 10


def test_same_seed_gives_identical_exports_other_seed_does_not(
    tmp_path: Path, engines: Engines
) -> None:
    exports = []
    for index, seed in enumerate((11, 11, 12)):
        engine = engines(f"sqlite:///{tmp_path / f'{index}.db'}")
        seed_population(engine, persons=150, seed=seed, batch_size=97)
        exports.append(export_all(engine, tmp_path / str(index)))
    assert exports[0] == exports[1]
    assert exports[0]["civil"] != exports[2]["civil"]
    assert exports[0]["persons.csv"] != exports[2]["persons.csv"]


def test_seed_command_reports_the_population(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    code, out, _ = run_onedoor(
        monkeypatch, capsys, url, tmp_path / "var", "registries", "seed", "--persons", "40"
    )
    assert code == 0
    assert "synthetic population: 40 persons in " in out
    assert "Person 40" in out
    code, _, err = run_onedoor(
        monkeypatch, capsys, url, tmp_path / "var", "registries", "seed", "--persons", "40"
    )
    assert code == 2
    assert err.startswith("error: the civil registry already holds persons")
