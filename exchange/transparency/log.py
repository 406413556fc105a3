"""Appending access entries, signing tree heads and serving proofs (RFC 9162 section 2.1)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from exchange.transparency.entry import AccessEvent, to_entry
from exchange.transparency.errors import (
    InvalidEntryError,
    InvalidTreeSizeError,
    TreeHeadNotFoundError,
)
from exchange.transparency.merkle import (
    array_index,
    consistency_ranges,
    inclusion_ranges,
    leaf_hash,
)
from exchange.transparency.models import BLOCK_BITS, TlogTreeHead
from exchange.transparency.pseudonym import SubjectPseudonymizer
from exchange.transparency.store import (
    ENTRIES,
    NODES,
    bulk_insert,
    check_tree_size,
    compact_range,
    lock_head,
    range_hashes,
    read_head,
    time_parameter,
    write_head,
)
from exchange.transparency.tree_head import SignedTreeHead, TreeHeadSigner, sign_head

Clock = Callable[[], datetime]
MAX_BATCH = 100_000


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class AppendResult:
    first_sequence: int
    tree_size: int
    root_hash: bytes


@dataclass(frozen=True)
class InclusionProof:
    """PATH(index, D[tree_size]) with the leaf hash and root it connects (RFC 9162 2.1.3)."""

    index: int
    tree_size: int
    leaf_hash: bytes
    root_hash: bytes
    path: list[bytes]

    def to_json(self) -> dict[str, Any]:
        return {
            "leaf_index": self.index,
            "tree_size": self.tree_size,
            "leaf_hash": self.leaf_hash.hex(),
            "root_hash": self.root_hash.hex(),
            "inclusion_path": [h.hex() for h in self.path],
        }


@dataclass(frozen=True)
class ConsistencyProof:
    """PROOF(first, D[second]) with the two roots it links (RFC 9162 2.1.4)."""

    first: int
    second: int
    first_hash: bytes
    second_hash: bytes
    path: list[bytes]

    def to_json(self) -> dict[str, Any]:
        return {
            "first": self.first,
            "second": self.second,
            "first_hash": self.first_hash.hex(),
            "second_hash": self.second_hash.hex(),
            "consistency_path": [h.hex() for h in self.path],
        }


def append_entries(
    session: Session,
    *,
    entries: Sequence[AccessEvent],
    pseudonymizer: SubjectPseudonymizer,
    clock: Clock = utc_now,
) -> AppendResult:
    """Append a batch in the caller's transaction; all or nothing, never a fork or a gap."""
    if not entries or len(entries) > MAX_BATCH:
        raise InvalidEntryError(f"append between 1 and {MAX_BATCH} entries at a time")
    now = clock()
    with session.begin_nested():
        size, _ = lock_head(session)
        logged = [
            to_entry(event, sequence=size + i, now=now, pseudonymizer=pseudonymizer)
            for i, event in enumerate(entries)
        ]
        compact = compact_range(session, size)
        as_time = time_parameter(session)
        rows: list[tuple[Any, ...]] = []
        nodes: list[tuple[int, bytes]] = []
        for entry in logged:
            data = entry.canonical_bytes()
            digest = leaf_hash(data)
            rows.append(
                (
                    entry.sequence,
                    digest,
                    data,
                    as_time(entry.time),
                    entry.member,
                    entry.user_id,
                    entry.service,
                    entry.purpose,
                    entry.outcome,
                    entry.subject,
                    entry.sequence >> BLOCK_BITS,
                )
            )
            for level, index, node in compact.append(digest):
                nodes.append((array_index(level, index), node))
        bulk_insert(session, ENTRIES, rows)
        if nodes:
            bulk_insert(session, NODES, nodes)
        root = compact.root()
        write_head(session, tree_size=compact.size, root_hash=root)
    return AppendResult(first_sequence=size, tree_size=compact.size, root_hash=root)


def sign_tree_head(
    session: Session, *, signer: TreeHeadSigner, clock: Clock = utc_now
) -> SignedTreeHead:
    """Sign and store the current tree head (size, time in ms, root)."""
    size, root = read_head(session)
    timestamp = int(clock().timestamp() * 1000)
    head = sign_head(signer, tree_size=size, timestamp=timestamp, root_hash=root)
    session.add(
        TlogTreeHead(
            tree_size=head.tree_size,
            timestamp_ms=head.timestamp,
            root_hash=head.root_hash,
            key_id=head.key_id,
            signature=head.signature,
        )
    )
    session.flush()
    return head


def _to_head(row: TlogTreeHead) -> SignedTreeHead:
    return SignedTreeHead(
        tree_size=row.tree_size,
        timestamp=row.timestamp_ms,
        root_hash=bytes(row.root_hash),
        key_id=row.key_id,
        signature=bytes(row.signature),
    )


def latest_tree_head(session: Session) -> SignedTreeHead:
    """The most recent signed tree head; TreeHeadNotFoundError before the first one."""
    row = session.scalars(
        select(TlogTreeHead).order_by(TlogTreeHead.tree_size.desc(), TlogTreeHead.id.desc())
    ).first()
    if row is None:
        raise TreeHeadNotFoundError()
    return _to_head(row)


def tree_heads(session: Session) -> list[SignedTreeHead]:
    """Every stored signed tree head, oldest first."""
    rows = session.scalars(select(TlogTreeHead).order_by(TlogTreeHead.id))
    return [_to_head(row) for row in rows]


def inclusion_proof(session: Session, *, index: int, tree_size: int) -> InclusionProof:
    """The audit path of leaf ``index`` in the tree of ``tree_size`` leaves."""
    check_tree_size(session, tree_size)
    if not 0 <= index < tree_size:
        raise InvalidTreeSizeError("leaf index must be below the tree size")
    ranges = [(index, index + 1), (0, tree_size), *inclusion_ranges(index, tree_size)]
    leaf, root, *path = range_hashes(session, ranges)
    return InclusionProof(
        index=index, tree_size=tree_size, leaf_hash=leaf, root_hash=root, path=path
    )


def consistency_proof(session: Session, *, first: int, second: int) -> ConsistencyProof:
    """The proof that the tree of ``second`` leaves extends the tree of ``first`` leaves."""
    check_tree_size(session, second)
    if not 0 < first <= second:
        raise InvalidTreeSizeError("first must be between 1 and second")
    ranges = [(0, first), (0, second), *consistency_ranges(first, second)]
    first_hash, second_hash, *path = range_hashes(session, ranges)
    return ConsistencyProof(
        first=first, second=second, first_hash=first_hash, second_hash=second_hash, path=path
    )


def root_at(session: Session, *, tree_size: int) -> bytes:
    """MTH of the first ``tree_size`` leaves, from stored subtree hashes."""
    check_tree_size(session, tree_size)
    return range_hashes(session, [(0, tree_size)])[0]
