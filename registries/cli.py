"""``onedoor registries``: seed a synthetic population, export and import registry records."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from sqlalchemy import Engine

from onedoor.config import get_settings
from onedoor.db import open_database
from onedoor.migrate import upgrade
from registries.seed.service import DEFAULT_SEED, seed_population
from registries.transfer.export import export_registry
from registries.transfer.importer import import_file
from schemas.safe_xml import MAX_FILE_BYTES

app = typer.Typer(help="Registries operations.", no_args_is_help=True)


class RegistryName(StrEnum):
    civil = "civil"
    familybook = "familybook"
    residence = "residence"
    business = "business"
    tax = "tax"
    welfare = "welfare"
    health = "health"


class FileFormat(StrEnum):
    xml = "xml"
    csv = "csv"


@contextmanager
def _database(*, migrate: bool) -> Iterator[Engine]:
    engine = open_database(get_settings().database_url)
    try:
        if migrate:
            upgrade(engine)
        yield engine
    finally:
        engine.dispose()


@app.command("seed")
def seed_command(
    persons: int = typer.Option(..., "--persons", min=1, help="How many persons to create."),
    seed: int = typer.Option(DEFAULT_SEED, "--seed", help="The same seed gives the same data."),
) -> None:
    """Fill empty registries with a consistent synthetic population of Lao PDR."""
    with _database(migrate=True) as engine:
        _seed(engine, persons, seed)


def _seed(engine: Engine, persons: int, seed: int) -> None:
    console = Console(stderr=True)
    columns = (
        TextColumn("seeding"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("persons"),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=console, disable=not console.is_terminal) as bar:
        task = bar.add_task("seeding", total=persons)
        summary = seed_population(
            engine, persons=persons, seed=seed, progress=lambda done: bar.advance(task, done)
        )
    typer.echo(summary.line())
    typer.echo(
        f"{summary.total_records:,} records: "
        + ", ".join(f"{name} {count:,}" for name, count in summary.records.items())
    )


@app.command("export")
def export_command(
    registry: RegistryName = typer.Option(..., "--registry", help="Which registry to export."),
    out: Path = typer.Option(..., "--out", help="The file to write."),
    file_format: FileFormat = typer.Option(
        FileFormat.xml, "--format", help="xml (every record) or csv (persons, civil only)."
    ),
) -> None:
    """Write every record of a registry to one file, streamed."""
    with _database(migrate=False) as engine:
        count = export_registry(engine, registry=registry.value, out=out, fmt=file_format.value)
    what = "persons" if file_format is FileFormat.csv else f"{registry.value} records"
    typer.echo(f"exported {count:,} {what} to {out}")


@app.command("import")
def import_command(
    file: Path = typer.Argument(..., help="An XML export, or a persons CSV (.csv)."),
    atomic: bool = typer.Option(False, "--atomic", help="All or nothing: any error, no change."),
    file_format: FileFormat | None = typer.Option(
        None, "--format", help="xml or csv (default: from the file name)."
    ),
    max_errors: int = typer.Option(100, "--max-errors", min=0, help="Refusals to print."),
    max_bytes: int = typer.Option(MAX_FILE_BYTES, "--max-bytes", min=1, help="Largest file."),
) -> None:
    """Validate and import every record of a file; exit 1 if any record was refused."""
    with _database(migrate=True) as engine:
        report = import_file(
            engine,
            file,
            fmt=file_format.value if file_format else None,
            atomic=atomic,
            max_bytes=max_bytes,
        )
    for error in report.errors[:max_errors]:
        typer.echo(error.line())
    hidden = report.refused - min(max_errors, len(report.errors))
    if hidden > 0:
        typer.echo(f"... and {hidden:,} more refused records")
    typer.echo(report.summary())
    raise typer.Exit(1 if report.refused else 0)
