"""Import a file into the registries: every record validated, bad ones reported, the rest stored.

By default each batch commits on its own, so one bad record never stops the others. ``atomic``
makes the whole file one transaction that is rolled back if any record is refused. A record is
also refused when its identifier is already stored (or repeated in the file), and a household
when one of its members already belongs to another household.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, Table, case, func, insert, select, update

from registries.errors import DuplicateRecordError, InconsistentRecordError
from registries.transfer.holdings import MEMBERS_TABLE, TABLE_ORDER, rows_for
from registries.transfer.sources import Prepared, RecordError, read_records
from schemas.safe_xml import MAX_FILE_BYTES

DEFAULT_BATCH = 5_000
KEPT_ERRORS = 1_000
_IN_CHUNK = 900


@dataclass
class ImportReport:
    """Counts, and the first :data:`KEPT_ERRORS` refused records in file order."""

    atomic: bool
    read: int = 0
    imported: int = 0
    refused: int = 0
    errors: list[RecordError] = field(default_factory=list)

    def refuse(self, error: RecordError) -> None:
        self.refused += 1
        if len(self.errors) < KEPT_ERRORS:
            self.errors.append(error)

    def summary(self) -> str:
        if self.atomic and self.refused:
            return f"imported nothing: {self.refused:,} of {self.read:,} records refused (--atomic)"
        return f"imported {self.imported:,} of {self.read:,} records ({self.refused:,} refused)"


def import_file(
    engine: Engine,
    path: Path,
    *,
    fmt: str | None = None,
    atomic: bool = False,
    batch_size: int = DEFAULT_BATCH,
    max_bytes: int = MAX_FILE_BYTES,
) -> ImportReport:
    """Import ``path`` (XML export or persons CSV); raises only for an unusable file."""
    report = ImportReport(atomic=atomic)
    items = read_records(path, fmt=fmt, max_bytes=max_bytes)
    if not atomic:
        _load(items, report, lambda: engine.begin(), batch_size)
    else:
        with engine.connect() as connection:
            transaction = connection.begin()
            try:
                _load(items, report, lambda: nullcontext(connection), batch_size)
            except BaseException:
                transaction.rollback()
                raise
            if report.refused:
                transaction.rollback()
                report.imported = 0
            else:
                transaction.commit()
    report.errors.sort(key=lambda error: error.number)
    return report


def _load(
    items: Iterator[Prepared | RecordError],
    report: ImportReport,
    begin: Any,
    batch_size: int,
) -> None:
    batch: list[Prepared] = []
    for item in items:
        report.read += 1
        if isinstance(item, RecordError):
            report.refuse(item)
            continue
        if report.atomic and report.refused:
            continue  # nothing will be written; keep reading to report every error
        batch.append(item)
        if len(batch) >= batch_size:
            _write(batch, report, begin)
            batch = []
    if batch and not (report.atomic and report.refused):
        _write(batch, report, begin)


def _write(batch: list[Prepared], report: ImportReport, begin: Any) -> None:
    context: AbstractContextManager[Connection] = begin()
    with context as connection:
        accepted = _without_conflicts(connection, batch, report)
        pending: dict[Table, list[dict[str, Any]]] = {table: [] for table in TABLE_ORDER}
        touched: dict[tuple[Table, str], set[str]] = {}
        for item in accepted:
            for table, row in rows_for(item.holding, item.data, item.document):
                pending[table].append(row)
            column = item.holding.versioned_by
            if column is not None:
                touched.setdefault((item.holding.table, column), set()).add(item.key[0])
        for table in TABLE_ORDER:
            if pending[table]:
                connection.execute(insert(table), pending[table])
        for (table, column), keys in touched.items():
            _mark_current(connection, table, column, sorted(keys))
        report.imported += len(accepted)


def _without_conflicts(
    connection: Connection, batch: list[Prepared], report: ImportReport
) -> list[Prepared]:
    """Refuse records whose key is stored or repeated, and households reusing a member."""
    stored = _stored_keys(connection, batch)
    taken = _stored_members(connection, batch)
    accepted: list[Prepared] = []
    for item in batch:
        key = item.key
        holding = item.holding
        if (holding.table, key) in stored:
            report.refuse(
                RecordError(
                    item.number,
                    item.key_path(),
                    "a record with this identifier is already stored",
                    DuplicateRecordError.code,
                )
            )
            continue
        members = [m["personId"] for m in item.data.get("members", {}).get("member", [])]
        if holding.record_type == "Household" and (
            len(set(members)) != len(members) or any(pid in taken for pid in members)
        ):
            report.refuse(
                RecordError(
                    item.number,
                    "/Household/members/member/personId",
                    "a member already belongs to a household",
                    InconsistentRecordError.code,
                )
            )
            continue
        stored.add((holding.table, key))
        taken.update(members)
        accepted.append(item)
    return accepted


def _stored_keys(
    connection: Connection, batch: list[Prepared]
) -> set[tuple[Table, tuple[Any, ...]]]:
    wanted: dict[Table, tuple[tuple[str, ...], set[Any]]] = {}
    for item in batch:
        keys = item.holding.key
        wanted.setdefault(item.holding.table, (keys, set()))[1].add(item.key[0])
    found: set[tuple[Table, tuple[Any, ...]]] = set()
    for table, (keys, firsts) in wanted.items():
        columns = [table.c[key] for key in keys]
        for chunk in _chunks(sorted(firsts)):
            for row in connection.execute(select(*columns).where(columns[0].in_(chunk))):
                found.add((table, tuple(row)))
    return found


def _stored_members(connection: Connection, batch: list[Prepared]) -> set[str]:
    ids = sorted(
        {
            member["personId"]
            for item in batch
            if item.holding.record_type == "Household"
            for member in item.data["members"]["member"]
        }
    )
    column = MEMBERS_TABLE.c.person_id
    taken: set[str] = set()
    for chunk in _chunks(ids):
        taken.update(connection.scalars(select(column).where(column.in_(chunk))))
    return taken


def _mark_current(connection: Connection, table: Table, name: str, keys: list[str]) -> None:
    """The newest version of each record is current, whatever order the versions came in."""
    column = table.c[name]
    newer = table.alias("newer")
    newest = select(func.max(newer.c.version)).where(newer.c[name] == column).scalar_subquery()
    for chunk in _chunks(keys):
        connection.execute(
            update(table)
            .where(column.in_(chunk))
            .values(is_current=case((table.c.version == newest, True), else_=False))
        )


def _chunks(values: list[Any]) -> Iterator[list[Any]]:
    for start in range(0, len(values), _IN_CHUNK):
        yield values[start : start + _IN_CHUNK]
