"""Reading the stored tree: the head row, leaf hashes and closed subtree hashes."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import DateTime, Table, bindparam, insert, literal, select, union_all, update
from sqlalchemy.orm import Session

from exchange.transparency.errors import InvalidTreeSizeError, LogTamperedError
from exchange.transparency.merkle import (
    EMPTY_ROOT,
    CompactRange,
    Node,
    array_index,
    fold,
    subtree_parts,
)
from exchange.transparency.models import HEAD_ROW_ID, TlogEntry, TlogHead, TlogNode

ENTRIES = cast(Table, TlogEntry.__table__)
NODES = cast(Table, TlogNode.__table__)
HEAD = cast(Table, TlogHead.__table__)
_FETCH_CHUNK = 500
SQLITE_CACHE_KIB = 256 * 1024
_READ_HEAD = select(HEAD.c.tree_size, HEAD.c.root_hash).where(HEAD.c.id == HEAD_ROW_ID)


def lock_head(session: Session) -> tuple[int, bytes]:
    """Take the append lock (a write to the head row) and return the tree size and root.

    Writing first makes PostgreSQL hold the row lock and SQLite the database write lock until
    the transaction ends, so concurrent appenders queue instead of forking the tree.
    """
    bump = update(HEAD).where(HEAD.c.id == HEAD_ROW_ID).values(tree_size=HEAD.c.tree_size)
    if session.execute(bump).rowcount == 0:  # type: ignore[attr-defined]
        if session.execute(select(ENTRIES.c.seq).limit(1)).first() is not None:
            raise LogTamperedError("the head row of the log was removed", sequence=0)
        session.execute(insert(HEAD).values(id=HEAD_ROW_ID, tree_size=0, root_hash=EMPTY_ROOT))
    return read_head(session)


def read_head(session: Session) -> tuple[int, bytes]:
    """The committed tree size and root hash (the empty tree before the first append)."""
    row = session.execute(_READ_HEAD).first()
    if row is None:
        return 0, EMPTY_ROOT
    return int(row.tree_size), bytes(row.root_hash)


def write_head(session: Session, *, tree_size: int, root_hash: bytes) -> None:
    session.execute(
        update(HEAD)
        .where(HEAD.c.id == HEAD_ROW_ID)
        .values(tree_size=tree_size, root_hash=root_hash)
    )


_FETCH = union_all(
    select(
        ENTRIES.c.seq.label("key"), ENTRIES.c.leaf_hash.label("hash"), literal(0).label("is_node")
    ).where(ENTRIES.c.seq.in_(bindparam("leaves", expanding=True))),
    select(NODES.c.node, NODES.c.hash, literal(1)).where(
        NODES.c.node.in_(bindparam("nodes", expanding=True))
    ),
)


def fetch_nodes(session: Session, nodes: Iterable[Node]) -> dict[Node, bytes]:
    """Hashes of complete subtrees (leaves from tlog_entries, the rest from tlog_nodes).

    One prepared statement, one round trip for up to 500 of each: proofs stay well under a
    millisecond on both engines.
    """
    wanted = set(nodes)
    leaves = sorted(index for level, index in wanted if level == 0)
    inner = {array_index(level, index): (level, index) for level, index in wanted if level}
    inner_keys = sorted(inner)
    found: dict[Node, bytes] = {}
    for start in range(0, max(len(leaves), len(inner_keys)), _FETCH_CHUNK):
        rows = session.execute(
            _FETCH,
            {
                "leaves": leaves[start : start + _FETCH_CHUNK],
                "nodes": inner_keys[start : start + _FETCH_CHUNK],
            },
        )
        for key, digest, is_node in rows:
            found[inner[int(key)] if is_node else (0, int(key))] = bytes(digest)
    missing = sorted((index << level, level) for level, index in wanted - found.keys())
    if missing:
        first, level = missing[0]
        raise LogTamperedError(
            "a stored leaf or subtree hash is missing",
            sequence=first,
            last_sequence=first + (1 << level) - 1,
        )
    return found


def time_parameter(session: Session) -> Callable[[datetime], Any]:
    """How this engine's driver takes a DateTime value when SQLAlchemy's typing is bypassed."""
    dialect = session.connection().dialect
    processor = DateTime(timezone=True).dialect_impl(dialect).bind_processor(dialect)
    return processor or (lambda value: value)


def bulk_insert(session: Session, table: Table, rows: Sequence[tuple[Any, ...]]) -> None:
    """Insert tuples in column order at driver speed: COPY on PostgreSQL, executemany on SQLite.

    Runs in the session's transaction. SQLAlchemy's per-value processing is skipped: pass
    DateTime values through :func:`time_parameter`.
    """
    connection = session.connection()
    columns = ", ".join(column.name for column in table.columns)
    if connection.dialect.name == "postgresql":
        raw: Any = connection.connection.dbapi_connection
        with (
            raw.cursor() as cursor,
            cursor.copy(f"COPY {table.name} ({columns}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)
        return
    marks = ", ".join("?" for _ in table.columns)
    # The default 2 MiB page cache misses on every index page of a large log; this lasts for
    # the connection and only grows as pages are actually read.
    connection.exec_driver_sql(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
    connection.exec_driver_sql(f"INSERT INTO {table.name} ({columns}) VALUES ({marks})", list(rows))


def range_hashes(session: Session, ranges: Sequence[tuple[int, int]]) -> list[bytes]:
    """MTH(D[start:end]) of each range, from O(log n) stored hashes in a couple of queries."""
    parts = [subtree_parts(start, end) for start, end in ranges]
    stored = fetch_nodes(session, (node for group in parts for node in group))
    return [fold([stored[node] for node in group]) for group in parts]


def compact_range(session: Session, tree_size: int) -> CompactRange:
    """The peaks of the stored tree of ``tree_size`` leaves, ready to append to."""
    if tree_size == 0:
        return CompactRange()
    parts = subtree_parts(0, tree_size)
    stored = fetch_nodes(session, parts)
    return CompactRange(tree_size, [stored[node] for node in parts])


def check_tree_size(session: Session, tree_size: int) -> int:
    """Raise InvalidTreeSizeError unless ``tree_size`` is 1..current size; return the size."""
    current, _ = read_head(session)
    if not 0 < tree_size <= current:
        raise InvalidTreeSizeError(f"tree size must be between 1 and {current}")
    return current
