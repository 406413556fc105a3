"""Read an import file record by record: hardened streaming XML, or the persons CSV.

Each record comes out checked and ready to store (:class:`Prepared`) or as a
:class:`RecordError` naming the record number, the schema path and the reason, never the value.
A file that cannot be used at all (missing, hostile, not an export) raises instead.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree

from registries.transfer.canonical import canonical_copy, fields, wrong_check_digit
from registries.transfer.errors import TransferFileError, UnsupportedTransferError
from registries.transfer.export import CONTAINER_TAG
from registries.transfer.holdings import BY_RECORD_TYPE, Holding
from registries.transfer.persons_csv import COLUMNS, person_from_row
from schemas.catalogue import record_type_of
from schemas.codec import build_element, serialize, validate_element
from schemas.errors import SchemaInvalidError, UnknownRecordTypeError, XmlTooLargeError
from schemas.safe_xml import MAX_DOCUMENT_BYTES, MAX_FILE_BYTES, file_root_tag, iter_file_records


@dataclass(frozen=True, slots=True)
class RecordError:
    """Why record ``number`` (1-based, in file order) was refused."""

    number: int
    path: str
    reason: str
    code: str

    def line(self) -> str:
        return f"record {self.number}: {self.path}: {self.reason} [{self.code}]"


@dataclass(frozen=True, slots=True)
class Prepared:
    """A valid record, canonical XML and the fields its registry indexes."""

    number: int
    holding: Holding
    data: dict[str, Any]
    document: str
    key: tuple[Any, ...]

    def key_path(self) -> str:
        first, *rest = self.holding.key[0].split("_")
        return f"/{self.holding.record_type}/{first}{''.join(w.title() for w in rest)}"


Item = Prepared | RecordError


def read_records(
    path: Path, *, fmt: str | None = None, max_bytes: int = MAX_FILE_BYTES
) -> Iterator[Item]:
    """Records of an XML export or a persons CSV (format from ``fmt`` or the file suffix)."""
    fmt = fmt or ("csv" if path.suffix.lower() == ".csv" else "xml")
    if fmt not in ("xml", "csv"):
        raise UnsupportedTransferError(f"no import format {fmt[:20]!r}; choose xml or csv")
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise TransferFileError(f"{path} is not a file")
        if size > max_bytes:
            raise XmlTooLargeError(f"{path} is larger than {max_bytes:,} bytes")
        if fmt == "csv":
            yield from _csv_records(path)
            return
        if file_root_tag(path) != CONTAINER_TAG:
            raise TransferFileError(f"{path} is not a OneDoor export (root must be t:records)")
        for number, element in enumerate(iter_file_records(path, max_bytes=max_bytes), start=1):
            yield _prepare_xml(number, element)
    except OSError as exc:
        raise TransferFileError(f"cannot read {path}: {exc.strerror or exc}") from exc


def _prepare_xml(number: int, element: etree._Element) -> Item:
    try:
        kind = record_type_of(str(element.tag))
    except UnknownRecordTypeError as exc:
        name = etree.QName(element).localname[:64]
        return RecordError(number, f"/{name}", "not a record type of the catalogue", exc.code)
    holding = BY_RECORD_TYPE.get(kind.name)
    if holding is None:
        return RecordError(
            number,
            f"/{kind.name}",
            "no registry stores this record type",
            UnsupportedTransferError.code,
        )
    canonical = canonical_copy(kind, element)
    try:
        validate_element(kind.name, canonical)
    except SchemaInvalidError as exc:
        return RecordError(number, exc.path, exc.reason, exc.code)
    return _checked(number, holding, canonical)


def _checked(number: int, holding: Holding, element: etree._Element) -> Item:
    bad_id = wrong_check_digit(element)
    if bad_id is not None:
        return RecordError(
            number, bad_id, "the person identifier's check digit is wrong", "invalid_person_id"
        )
    document = serialize(element)
    if len(document) > MAX_DOCUMENT_BYTES:
        return RecordError(
            number, f"/{holding.record_type}", "record is too large", XmlTooLargeError.code
        )
    data = fields(element)
    columns = holding.columns(data)
    key = tuple(columns[name] for name in holding.key)
    return Prepared(number, holding, data, document.decode("utf-8"), key)


def _csv_records(path: Path) -> Iterator[Item]:
    holding = BY_RECORD_TYPE["Person"]
    number = 0
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle, strict=True)
            header = next(reader, None)
            if header is None or tuple(header) != COLUMNS:
                raise TransferFileError(
                    f"{path}: the first CSV line must be the header {','.join(COLUMNS)}"
                )
            for number, row in enumerate(reader, start=1):
                if len(row) != len(COLUMNS):
                    yield RecordError(
                        number,
                        "/",
                        f"expected {len(COLUMNS)} fields, found {len(row)}",
                        "csv_malformed",
                    )
                    continue
                try:
                    element = build_element(
                        "Person", person_from_row(dict(zip(COLUMNS, row, strict=True)))
                    )
                except SchemaInvalidError as exc:
                    yield RecordError(number, exc.path, exc.reason, exc.code)
                    continue
                yield _checked(number, holding, element)
    except UnicodeDecodeError:
        raise TransferFileError(f"{path} is not valid UTF-8 (after record {number})") from None
    except csv.Error as exc:
        raise TransferFileError(f"{path}: malformed CSV after record {number}: {exc}") from None
