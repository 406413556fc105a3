"""Finding entries (who accessed whose data, when, why) and exporting them as CSV or JSON."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal, TextIO

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from exchange.transparency.entry import LogEntry, format_time, parse_entry
from exchange.transparency.errors import InvalidQueryError, LogTamperedError
from exchange.transparency.models import BLOCK_BITS
from exchange.transparency.store import ENTRIES, read_head

MAX_LIMIT = 1000
CSV_COLUMNS = (
    "sequence", "time", "member", "user_id", "service", "data_items", "purpose", "basis_kind",
    "basis_reference", "outcome", "reason_code", "message_id", "subject", "leaf_hash",
)  # fmt: skip


@dataclass(frozen=True)
class SearchFilter:
    """Every field is optional; the entries returned match all that are given."""

    subject_pseudonym: str | None = None
    member: str | None = None
    user_id: str | None = None
    service: str | None = None
    purpose: str | None = None
    outcome: str | None = None
    since: datetime | None = None
    until: datetime | None = None


def _utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise InvalidQueryError("since and until must carry a time zone")
    return value.astimezone(UTC)


def _query(session: Session, where: SearchFilter, *, after: int = -1) -> Select[int, bytes, bytes]:
    query = select(ENTRIES.c.seq, ENTRIES.c.entry, ENTRIES.c.leaf_hash)
    if where.subject_pseudonym is not None:
        # The subject index leads with the block: name every block that may hold a match, so
        # both engines probe (block, subject) once per block.
        size, _ = read_head(session)
        blocks = range((after + 1) >> BLOCK_BITS, ((max(size, 1) - 1) >> BLOCK_BITS) + 1)
        query = query.where(ENTRIES.c.block.in_(list(blocks)))
    for column, value in (
        (ENTRIES.c.subject, where.subject_pseudonym),
        (ENTRIES.c.member, where.member),
        (ENTRIES.c.user_id, where.user_id),
        (ENTRIES.c.service, where.service),
        (ENTRIES.c.purpose, where.purpose),
        (ENTRIES.c.outcome, where.outcome),
    ):
        if value is not None:
            query = query.where(column == value)
    if where.since is not None:
        query = query.where(ENTRIES.c.logged_at >= _utc(where.since))
    if where.until is not None:
        query = query.where(ENTRIES.c.logged_at < _utc(where.until))
    return query


def _decode(seq: int, data: bytes) -> LogEntry:
    try:
        return parse_entry(bytes(data))
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        raise LogTamperedError(f"entry {seq} is not readable", sequence=seq) from None


def search(
    session: Session,
    *,
    subject_pseudonym: str | None = None,
    member: str | None = None,
    user_id: str | None = None,
    service: str | None = None,
    purpose: str | None = None,
    outcome: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[LogEntry]:
    """Matching entries, newest first, read from their canonical (hashed) bytes."""
    if not 1 <= limit <= MAX_LIMIT or offset < 0:
        raise InvalidQueryError(f"limit must be 1 to {MAX_LIMIT} and offset not negative")
    where = SearchFilter(
        subject_pseudonym, member, user_id, service, purpose, outcome, since, until
    )
    query = _query(session, where).order_by(ENTRIES.c.seq.desc()).limit(limit).offset(offset)
    rows = session.execute(query)
    return [_decode(seq, data) for seq, data, _ in rows]


def iter_entries(
    session: Session, where: SearchFilter, *, batch: int = 1000
) -> Iterator[tuple[LogEntry, bytes]]:
    """Every matching entry with its leaf hash, oldest first, in keyset-paged batches."""
    last = -1
    while True:
        rows = session.execute(
            _query(session, where, after=last)
            .where(ENTRIES.c.seq > last)
            .order_by(ENTRIES.c.seq)
            .limit(batch)
        ).all()
        for seq, data, digest in rows:
            yield _decode(seq, data), bytes(digest)
        if len(rows) < batch:
            return
        last = int(rows[-1][0])


def _flat(entry: LogEntry, digest: bytes) -> dict[str, object]:
    return {
        "sequence": entry.sequence,
        "time": format_time(entry.time),
        "member": entry.member,
        "user_id": entry.user_id,
        "service": entry.service,
        "data_items": list(entry.data_items),
        "purpose": entry.purpose,
        "basis_kind": entry.basis_kind,
        "basis_reference": entry.basis_reference,
        "outcome": entry.outcome,
        "reason_code": entry.reason_code,
        "message_id": entry.message_id,
        "subject": entry.subject,
        "leaf_hash": digest.hex(),
    }


def export_entries(
    session: Session, *, out: TextIO, format: Literal["csv", "json"], where: SearchFilter
) -> int:
    """Write matching entries to ``out`` (CSV with a header, or a JSON array); return count."""
    count = 0
    if format == "csv":
        writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
        writer.writeheader()
        for entry, digest in iter_entries(session, where):
            row = _flat(entry, digest)
            row["data_items"] = ";".join(entry.data_items)
            writer.writerow(row)
            count += 1
        return count
    if format != "json":
        raise InvalidQueryError("format must be csv or json")
    out.write("[")
    for entry, digest in iter_entries(session, where):
        out.write(
            ("," if count else "") + "\n" + json.dumps(_flat(entry, digest), ensure_ascii=False)
        )
        count += 1
    out.write("\n]\n")
    return count
