"""Benchmark the synthetic population: seed rate, validation fast path vs xmlschema, round trip.

Goal (issue 3): >= 5,000 records/s generated, validated against their XSD and inserted, end to
end; a seeded population round-trips export -> import -> export unchanged.

    .venv/bin/python bench/registries_seed.py                      # SQLite, 100,000 persons
    .venv/bin/python bench/registries_seed.py --persons 1000000
    .venv/bin/python bench/registries_seed.py --database-url postgresql+psycopg://...

SQLite runs in a temporary folder; a PostgreSQL database must be empty (it is migrated and
seeded, nothing is dropped). Prints figures only.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from lxml import etree
from sqlalchemy import Engine

from onedoor.db import open_database
from onedoor.migrate import upgrade
from registries.seed.population import PopulationGenerator
from registries.seed.service import seed_population
from registries.transfer.export import export_registry
from registries.transfer.holdings import REGISTRIES
from registries.transfer.importer import import_file
from schemas.codec import build_element, codec_schema, validate_element


def fresh(url: str) -> Engine:
    engine = open_database(url)
    upgrade(engine)
    return engine


def timed(action: Callable[[], Any]) -> tuple[Any, float]:
    started = time.perf_counter()
    result = action()
    return result, time.perf_counter() - started


def seed(label: str, engine: Engine, persons: int, seed_value: int) -> None:
    summary, seconds = timed(lambda: seed_population(engine, persons=persons, seed=seed_value))
    total = summary.total_records
    print(f"[{label}] {summary.line()}")
    print(
        f"[{label}] {total:,} records in {seconds:.1f} s: {total / seconds:,.0f} records/s "
        f"generated + validated + inserted ({persons / seconds:,.0f} persons/s)"
    )
    print(f"[{label}]   " + ", ".join(f"{k} {v:,}" for k, v in summary.records.items()))


def validation_only(seed_value: int, sample: int) -> None:
    records: list[tuple[str, dict[str, Any]]] = []
    for batch in PopulationGenerator(seed_value).households(sample):
        records.extend(batch.records)
    elements: list[tuple[str, etree._Element]] = [(n, build_element(n, d)) for n, d in records]
    _, build = timed(lambda: [build_element(n, d) for n, d in records])
    _, fast = timed(lambda: [validate_element(n, e) for n, e in elements])
    subset = elements[: max(1, len(elements) // 10)]
    _, slow = timed(lambda: [codec_schema(n).validate(e) for n, e in subset])
    print(
        f"validation only, {len(elements):,} records: lxml fast path "
        f"{len(elements) / fast:,.0f} records/s "
        f"(build + validate {len(records) / build:,.0f}/s) | "
        f"xmlschema {len(subset) / slow:,.0f} records/s ({len(subset):,} records)"
    )


def round_trip(source: Engine, folder: Path) -> None:
    before, after = folder / "before", folder / "after"
    before.mkdir()
    after.mkdir()
    counts, seconds = timed(
        lambda: [export_registry(source, registry=r, out=before / f"{r}.xml") for r in REGISTRIES]
    )
    print(
        f"export: {sum(counts):,} records in {seconds:.1f} s "
        f"({sum(counts) / seconds:,.0f} records/s)"
    )
    target = fresh(f"sqlite:///{folder / 'imported.db'}")
    reports, seconds = timed(lambda: [import_file(target, before / f"{r}.xml") for r in REGISTRIES])
    imported = sum(report.imported for report in reports)
    refused = sum(report.refused for report in reports)
    print(
        f"import: {imported:,} records ({refused:,} refused) in {seconds:.1f} s "
        f"({imported / seconds:,.0f} records/s, validated)"
    )
    for registry in REGISTRIES:
        export_registry(target, registry=registry, out=after / f"{registry}.xml")
    different = [
        r
        for r in REGISTRIES
        if (before / f"{r}.xml").read_bytes() != (after / f"{r}.xml").read_bytes()
    ]
    print("round-trip: identical" if not different else f"round-trip: DIFFERENT {different}")
    target.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--validation-sample", type=int, default=20_000, help="persons")
    parser.add_argument("--database-url", help="also seed this empty PostgreSQL database")
    parser.add_argument("--skip-round-trip", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="onedoor-seed-bench-") as tmp:
        folder = Path(tmp)
        engine = fresh(f"sqlite:///{folder / 'seeded.db'}")
        seed("sqlite", engine, args.persons, args.seed)
        validation_only(args.seed, args.validation_sample)
        if not args.skip_round_trip:
            round_trip(engine, folder)
        engine.dispose()
    if args.database_url:
        postgres = fresh(args.database_url)
        seed("postgresql", postgres, args.persons, args.seed)
        postgres.dispose()


if __name__ == "__main__":
    main()
