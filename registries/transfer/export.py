"""Export every record of a registry: streamed XML in one container element, or persons as CSV.

Records are written in natural-key order (person id, record id and version, ...), never in
insertion order, so two databases holding the same records export the same bytes. The file is
written beside its target and renamed into place, so a failed export leaves no partial file.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO, TextIO

from sqlalchemy import Engine, select

from registries.transfer.canonical import fields
from registries.transfer.errors import TransferFileError, UnsupportedTransferError
from registries.transfer.holdings import REGISTRIES, holdings_of
from registries.transfer.persons_csv import COLUMNS, person_row
from schemas.safe_xml import parse_xml

CONTAINER_NAMESPACE = "urn:onedoor:transfer:1"
CONTAINER_TAG = f"{{{CONTAINER_NAMESPACE}}}records"
FORMATS = ("xml", "csv")
_FETCH = 2_000


def stored_documents(
    engine: Engine, registry: str, *, only: str | None = None
) -> Iterator[tuple[str, str]]:
    """(record type, stored XML) of every record of ``registry``, in natural-key order."""
    if registry not in REGISTRIES:
        raise UnsupportedTransferError(
            f"no registry {registry[:40]!r}; choose one of {', '.join(REGISTRIES)}"
        )
    with engine.connect() as connection:
        streaming = connection.execution_options(stream_results=True, yield_per=_FETCH)
        for holding in holdings_of(registry):
            if only is not None and holding.record_type != only:
                continue
            table = holding.table
            query = select(table.c.document).order_by(*(table.c[key] for key in holding.key))
            if holding.kind is not None:
                query = query.where(table.c.kind == holding.kind)
            for document in streaming.scalars(query):
                yield holding.record_type, document


def export_registry(engine: Engine, *, registry: str, out: Path, fmt: str = "xml") -> int:
    """Write every record of ``registry`` to ``out``; returns how many were written."""
    if fmt not in FORMATS:
        raise UnsupportedTransferError(f"no export format {fmt[:20]!r}; choose xml or csv")
    if fmt == "csv" and registry != "civil":
        raise UnsupportedTransferError("CSV export holds persons: use it with --registry civil")
    documents = stored_documents(engine, registry, only="Person" if fmt == "csv" else None)
    partial = out.with_name(f".{out.name}.partial")
    try:
        if fmt == "xml":
            with partial.open("wb") as handle:
                count = _write_xml(handle, registry, documents)
        else:
            with partial.open("w", encoding="utf-8", newline="") as text:
                count = _write_csv(text, documents)
        os.replace(partial, out)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise TransferFileError(f"cannot write {out}: {exc.strerror or exc}") from exc
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return count


def _write_xml(handle: BinaryIO, registry: str, documents: Iterator[tuple[str, str]]) -> int:
    handle.write(b'<?xml version="1.0" encoding="UTF-8"?>\n')
    handle.write(f'<t:records xmlns:t="{CONTAINER_NAMESPACE}" registry="{registry}">\n'.encode())
    count = 0
    for _, document in documents:
        handle.write(document.encode("utf-8"))
        handle.write(b"\n")
        count += 1
    handle.write(b"</t:records>\n")
    return count


def _write_csv(text: TextIO, documents: Iterator[tuple[str, str]]) -> int:
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(COLUMNS)
    count = 0
    for record_type, document in documents:
        if record_type == "Person":
            writer.writerow(person_row(fields(parse_xml(document.encode("utf-8")))))
            count += 1
    return count
