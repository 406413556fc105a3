"""Transparency log tables: entries, subtree hashes, head and signed tree heads.

Revision ID: tlog_0001
Revises: core
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "tlog_0001"
down_revision: str | None = "core"
branch_labels: str | Sequence[str] | None = ("tlog",)
depends_on: str | Sequence[str] | None = None

# SHA-256 of the empty string: the root of the empty tree (RFC 9162 section 2.1.1).
# BIGINT, but INTEGER on SQLite so the key is the rowid (one B-tree less per row).
ROW_KEY = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
EMPTY_ROOT = bytes.fromhex("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")


def upgrade() -> None:
    head = op.create_table(
        "tlog_head",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("tree_size", sa.BigInteger(), nullable=False),
        sa.Column("root_hash", sa.LargeBinary(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tlog_head")),
    )
    op.bulk_insert(head, [{"id": 1, "tree_size": 0, "root_hash": EMPTY_ROOT}])
    op.create_table(
        "tlog_entries",
        sa.Column("seq", ROW_KEY, autoincrement=False, nullable=False),
        sa.Column("leaf_hash", sa.LargeBinary(length=32), nullable=False),
        sa.Column("entry", sa.LargeBinary(), nullable=False),
        sa.Column("logged_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("member", sa.String(length=255), nullable=False),
        sa.Column("user_id", sa.String(length=255), nullable=False),
        sa.Column("service", sa.String(length=255), nullable=False),
        sa.Column("purpose", sa.String(length=255), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("subject", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_tlog_entries")),
    )
    op.create_index("ix_tlog_entries_subject_seq", "tlog_entries", ["subject", "seq"])
    op.create_index("ix_tlog_entries_member_seq", "tlog_entries", ["member", "seq"])
    op.create_index("ix_tlog_entries_user_id_seq", "tlog_entries", ["user_id", "seq"])
    op.create_index("ix_tlog_entries_service_seq", "tlog_entries", ["service", "seq"])
    op.create_index("ix_tlog_entries_logged_at", "tlog_entries", ["logged_at"])
    op.create_table(
        "tlog_nodes",
        sa.Column("node", ROW_KEY, autoincrement=False, nullable=False),
        sa.Column("hash", sa.LargeBinary(length=32), nullable=False),
        sa.PrimaryKeyConstraint("node", name=op.f("pk_tlog_nodes")),
    )
    op.create_table(
        "tlog_tree_heads",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("tree_size", sa.BigInteger(), nullable=False),
        sa.Column("timestamp_ms", sa.BigInteger(), nullable=False),
        sa.Column("root_hash", sa.LargeBinary(length=32), nullable=False),
        sa.Column("key_id", sa.String(length=64), nullable=False),
        sa.Column("signature", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tlog_tree_heads")),
    )
    op.create_index("ix_tlog_tree_heads_tree_size", "tlog_tree_heads", ["tree_size"])


def downgrade() -> None:
    op.drop_index("ix_tlog_tree_heads_tree_size", table_name="tlog_tree_heads")
    op.drop_table("tlog_tree_heads")
    op.drop_table("tlog_nodes")
    for name in ("logged_at", "service_seq", "user_id_seq", "member_seq", "subject_seq"):
        op.drop_index(f"ix_tlog_entries_{name}", table_name="tlog_entries")
    op.drop_table("tlog_entries")
    op.drop_table("tlog_head")
