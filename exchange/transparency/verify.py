"""Auditing the whole stored log against its own hashes and its signed tree heads.

Order of checks, so the error names the *first* damaged entry: every tree head's signature;
then the entries in sequence order (gaps, moved rows, bytes that no longer hash to the stored
leaf hash, search columns that disagree with the bytes, stored subtree hashes and signed roots
that the recomputed tree contradicts); then the head row.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from exchange.transparency.entry import LogEntry, parse_entry
from exchange.transparency.errors import LogTamperedError
from exchange.transparency.log import tree_heads
from exchange.transparency.merkle import CompactRange, array_index, leaf_hash
from exchange.transparency.models import BLOCK_BITS
from exchange.transparency.store import ENTRIES, NODES, read_head
from exchange.transparency.tree_head import TreeHeadVerifier

BATCH = 5_000


@dataclass(frozen=True)
class LogVerification:
    """What :func:`verify_log` checked and found intact."""

    tree_size: int
    root_hash: bytes
    tree_heads_checked: int


def _columns_match(row: Row[Any], entry: LogEntry) -> bool:
    # A wrong block would hide the entry from its subject's searches.
    if row.block != entry.sequence >> BLOCK_BITS:
        return False
    return (row.member, row.user_id, row.service, row.purpose, row.outcome, row.subject) == (
        entry.member,
        entry.user_id,
        entry.service,
        entry.purpose,
        entry.outcome,
        entry.subject,
    )


def _check_entry(row: Row[Any], expected: int, head_size: int) -> bytes:
    seq = int(row.seq)
    if seq != expected:
        raise LogTamperedError(f"entry {expected} was removed", sequence=expected)
    if seq >= head_size:
        raise LogTamperedError(f"entry {seq} was inserted outside the log", sequence=seq)
    data = bytes(row.entry)
    try:
        entry = parse_entry(data)
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        raise LogTamperedError(f"entry {seq} was changed", sequence=seq) from None
    if entry.sequence != seq:
        raise LogTamperedError(f"entry {seq} was moved or reordered", sequence=seq)
    digest = leaf_hash(data)
    if not hmac.compare_digest(digest, bytes(row.leaf_hash)):
        raise LogTamperedError(f"entry {seq} was changed", sequence=seq)
    if not _columns_match(row, entry):
        raise LogTamperedError(f"the search columns of entry {seq} were changed", sequence=seq)
    return digest


def _stored_nodes(session: Session, start: int, end: int) -> dict[int, bytes]:
    """Stored subtree hashes (by array index) that close while leaves [start, end) append."""
    wanted: list[int] = []
    for size in range(start + 1, end + 1):
        level = 1
        while size % (1 << level) == 0:
            wanted.append(array_index(level, (size >> level) - 1))
            level += 1
    found: dict[int, bytes] = {}
    for offset in range(0, len(wanted), 500):
        rows = session.execute(
            select(NODES.c.node, NODES.c.hash).where(
                NODES.c.node.in_(wanted[offset : offset + 500])
            )
        )
        found.update((int(node), bytes(digest)) for node, digest in rows)
    return found


def verify_log(session: Session, *, verifier: TreeHeadVerifier) -> LogVerification:
    """Recompute the whole tree from the stored entries; raise on the first discrepancy.

    Raises TreeHeadSignatureError for a tree head the log's key did not sign, and
    LogTamperedError naming the first entry changed, removed, reordered or inserted.
    """
    heads = tree_heads(session)
    for head in heads:
        head.verify(verifier)
    head_size, head_root = read_head(session)
    roots_due: dict[int, list[bytes]] = {}
    for head in heads:
        if head.tree_size > head_size:
            raise LogTamperedError(
                f"entries after {head_size} were removed",
                sequence=head_size,
                last_sequence=head.tree_size - 1,
            )
        roots_due.setdefault(head.tree_size, []).append(head.root_hash)
    compact = CompactRange()
    checked_up_to = 0  # every leaf below this is covered by a signed root that matched
    _check_signed_roots(compact, roots_due, checked_up_to)
    last = -1
    while True:
        rows = session.execute(
            select(ENTRIES).where(ENTRIES.c.seq > last).order_by(ENTRIES.c.seq).limit(BATCH)
        ).all()
        if not rows:
            break
        start = compact.size
        stored = _stored_nodes(session, start, start + len(rows))
        for row in rows:
            digest = _check_entry(row, compact.size, head_size)
            for level, index, node in compact.append(digest):
                if stored.get(array_index(level, index)) != node:
                    first = index << level
                    raise LogTamperedError(
                        f"entries {first} to {first + (1 << level) - 1} no longer match "
                        "their stored subtree hash",
                        sequence=first,
                        last_sequence=first + (1 << level) - 1,
                    )
            checked_up_to = _check_signed_roots(compact, roots_due, checked_up_to)
        last = int(rows[-1].seq)
    if compact.size < head_size:
        raise LogTamperedError(
            f"entry {compact.size} was removed",
            sequence=compact.size,
            last_sequence=max(head_size - 1, 0),
        )
    if not hmac.compare_digest(compact.root(), head_root):
        raise LogTamperedError(
            "the head row's root hash was changed", sequence=max(head_size - 1, 0)
        )
    return LogVerification(tree_size=head_size, root_hash=head_root, tree_heads_checked=len(heads))


def _check_signed_roots(
    compact: CompactRange, roots_due: dict[int, list[bytes]], checked_up_to: int
) -> int:
    expected = roots_due.get(compact.size)
    if expected is None:
        return checked_up_to
    root = compact.root()
    for signed in expected:
        if not hmac.compare_digest(root, signed):
            raise LogTamperedError(
                f"entries {checked_up_to} to {compact.size - 1} differ from signed tree head "
                f"of size {compact.size}",
                sequence=checked_up_to,
                last_sequence=compact.size - 1,
            )
    return compact.size
