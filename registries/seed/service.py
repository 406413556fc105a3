"""Seed a synthetic population into the registries, once, and show a few of its persons."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import Engine, func, select

from onedoor.runtime import Runtime
from registries.civil.models import CivilPerson
from registries.familybook.models import FamilybookHousehold, FamilybookMember
from registries.seed.dates import REFERENCE_DATE, plus_years
from registries.seed.errors import SeedRefusedError
from registries.seed.population import PopulationGenerator
from registries.seed.writer import DEFAULT_BATCH, BulkWriter

DEFAULT_SEED = 7
MAX_PERSONS = 100_000_000

Progress = Callable[[int], None]


@dataclass(frozen=True)
class SeedSummary:
    """What was seeded: counts per record type."""

    persons: int
    households: int
    seed: int
    records: dict[str, int] = field(default_factory=dict)

    @property
    def total_records(self) -> int:
        return sum(self.records.values())

    def line(self) -> str:
        return (
            f"synthetic population: {self.persons:,} persons in {self.households:,} households "
            f"(seed {self.seed})"
        )


def count_persons(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.scalar(select(func.count()).select_from(CivilPerson)) or 0)


def seed_population(
    engine: Engine,
    *,
    persons: int,
    seed: int = DEFAULT_SEED,
    batch_size: int = DEFAULT_BATCH,
    progress: Progress | None = None,
) -> SeedSummary:
    """Generate, validate and insert ``persons`` persons into an empty civil registry.

    ``progress`` is called with the number of persons added since its previous call.
    """
    if not 1 <= persons <= MAX_PERSONS:
        raise SeedRefusedError(f"persons must be between 1 and {MAX_PERSONS:,}")
    if not 1 <= batch_size <= 1_000_000:
        raise SeedRefusedError("batch size must be between 1 and 1,000,000")
    if count_persons(engine):
        raise SeedRefusedError("the civil registry already holds persons; seed an empty database")
    writer = BulkWriter(engine, batch_size=batch_size)
    households = 0
    for batch in PopulationGenerator(seed).households(persons):
        writer.add(batch.records)
        households += 1
        if progress is not None:
            progress(batch.persons)
    writer.flush()
    return SeedSummary(persons, households, seed, dict(sorted(writer.counts.items())))


def seed_if_empty(runtime: Runtime, *, persons: int, seed: int = DEFAULT_SEED) -> str:
    """Seed the demo's population unless the civil registry holds persons; one line to show."""
    present = count_persons(runtime.engine)
    if present:
        return f"synthetic population: {present:,} persons already registered"
    return seed_population(runtime.engine, persons=persons, seed=seed).line()


def sample_person_ids(runtime: Runtime, *, count: int = 3) -> list[str]:
    """A few living adult heads of household, to try the demo with."""
    adult = plus_years(REFERENCE_DATE, -18)
    query = (
        select(CivilPerson.person_id)
        .join(FamilybookHousehold, FamilybookHousehold.head_id == CivilPerson.person_id)
        .join(FamilybookMember, FamilybookMember.person_id == CivilPerson.person_id)
        .where(CivilPerson.death_date.is_(None), CivilPerson.birth_date <= adult)
        .order_by(CivilPerson.person_id)
        .limit(count)
    )
    with runtime.engine.connect() as connection:
        return list(connection.scalars(query))
