"""Validate generated records on lxml's fast path and insert them in batches (Core executemany)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy import Engine, Table, insert

from registries.seed.records import Record
from registries.transfer.holdings import BY_RECORD_TYPE, TABLE_ORDER, rows_for
from schemas.codec import build_element, serialize

DEFAULT_BATCH = 5_000


class BulkWriter:
    """Collects rows and writes each batch of about ``batch_size`` records in one transaction."""

    def __init__(self, engine: Engine, *, batch_size: int = DEFAULT_BATCH) -> None:
        self._engine = engine
        self._batch_size = batch_size
        self._pending: dict[Table, list[dict[str, Any]]] = {table: [] for table in TABLE_ORDER}
        self._in_batch = 0
        self.counts: Counter[str] = Counter()

    def add(self, records: list[Record]) -> None:
        """Add the records of one household; every one is validated against its XSD first."""
        newest: dict[str, int] = {}
        for name, data in records:
            if name == "Residence":
                newest[data["personId"]] = max(newest.get(data["personId"], 0), data["version"])
        for name, data in records:
            document = serialize(build_element(name, data)).decode("utf-8")
            for table, row in rows_for(BY_RECORD_TYPE[name], data, document):
                if name == "Residence":
                    row["is_current"] = data["version"] == newest[data["personId"]]
                self._pending[table].append(row)
            self.counts[name] += 1
        self._in_batch += len(records)
        if self._in_batch >= self._batch_size:
            self.flush()

    def flush(self) -> None:
        if not self._in_batch:
            return
        with self._engine.begin() as connection:
            for table in TABLE_ORDER:
                rows = self._pending[table]
                if rows:
                    connection.execute(insert(table), rows)
                    rows.clear()
        self._in_batch = 0
