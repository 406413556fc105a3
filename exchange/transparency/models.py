"""Tables of the transparency log: entries (leaves), closed subtree hashes, heads."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, DateTime, Index, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from onedoor.db import Base

HEAD_ROW_ID = 1
# Entries are indexed by subject within blocks of 65,536 consecutive sequence numbers: appends
# then touch only the newest block's part of the index (a few MB that stay cached) instead of
# pages all over a pseudonym index as large as the log; a subject's query probes each block.
BLOCK_BITS = 16

# On SQLite an INTEGER primary key is the rowid itself: one B-tree less to write per leaf.
RowKey = BigInteger().with_variant(Integer(), "sqlite")


class TlogHead(Base):
    """The single row every append locks: current size and root of the tree."""

    __tablename__ = "tlog_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    tree_size: Mapped[int] = mapped_column(BigInteger, nullable=False)
    root_hash: Mapped[bytes] = mapped_column(LargeBinary(32), nullable=False)


class TlogEntry(Base):
    """One leaf: the canonical entry bytes, their leaf hash and columns to search by."""

    __tablename__ = "tlog_entries"
    __table_args__ = (
        Index("ix_tlog_entries_block_subject_seq", "block", "subject", "seq"),
        Index("ix_tlog_entries_member_seq", "member", "seq"),
        Index("ix_tlog_entries_user_id_seq", "user_id", "seq"),
        Index("ix_tlog_entries_service_seq", "service", "seq"),
        Index("ix_tlog_entries_logged_at", "logged_at"),
    )

    seq: Mapped[int] = mapped_column(RowKey, primary_key=True, autoincrement=False)
    leaf_hash: Mapped[bytes] = mapped_column(LargeBinary(32), nullable=False)
    entry: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)
    logged_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    member: Mapped[str] = mapped_column(String(255), nullable=False)
    user_id: Mapped[str] = mapped_column(String(255), nullable=False)
    service: Mapped[str] = mapped_column(String(255), nullable=False)
    purpose: Mapped[str] = mapped_column(String(255), nullable=False)
    outcome: Mapped[str] = mapped_column(String(16), nullable=False)
    subject: Mapped[str] = mapped_column(String(64), nullable=False)
    block: Mapped[int] = mapped_column(Integer, nullable=False)  # seq >> BLOCK_BITS


class TlogNode(Base):
    """The hash of a complete subtree of two or more leaves.

    ``node`` is the subtree's position in the array layout of a left-balanced binary tree
    (RFC 9420 appendix C): leaf ``i`` is ``2i`` (kept in tlog_entries), the subtree at
    ``level`` and ``index`` is ``(index << (level + 1)) + (1 << level) - 1``.
    """

    __tablename__ = "tlog_nodes"

    node: Mapped[int] = mapped_column(RowKey, primary_key=True, autoincrement=False)
    hash: Mapped[bytes] = mapped_column(LargeBinary(32), nullable=False)


class TlogTreeHead(Base):
    """A signed tree head (RFC 6962 section 3.5) as it was published."""

    __tablename__ = "tlog_tree_heads"
    __table_args__ = (Index("ix_tlog_tree_heads_tree_size", "tree_size"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    tree_size: Mapped[int] = mapped_column(BigInteger, nullable=False)
    timestamp_ms: Mapped[int] = mapped_column(BigInteger, nullable=False)
    root_hash: Mapped[bytes] = mapped_column(LargeBinary(32), nullable=False)
    key_id: Mapped[str] = mapped_column(String(64), nullable=False)
    signature: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)
