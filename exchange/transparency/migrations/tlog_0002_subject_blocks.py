"""Index subjects within blocks of sequence numbers, so appends stay local in the index.

Revision ID: tlog_0002
Revises: tlog_0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "tlog_0002"
down_revision: str | None = "tlog_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BLOCK_BITS = 16  # exchange.transparency.models.BLOCK_BITS, frozen here as migrations must be


def upgrade() -> None:
    op.drop_index("ix_tlog_entries_subject_seq", table_name="tlog_entries")
    with op.batch_alter_table("tlog_entries") as batch:
        batch.add_column(sa.Column("block", sa.Integer(), nullable=True))
    op.execute(f"UPDATE tlog_entries SET block = seq / {1 << BLOCK_BITS}")
    with op.batch_alter_table("tlog_entries") as batch:
        batch.alter_column("block", existing_type=sa.Integer(), nullable=False)
    op.create_index(
        "ix_tlog_entries_block_subject_seq", "tlog_entries", ["block", "subject", "seq"]
    )


def downgrade() -> None:
    op.drop_index("ix_tlog_entries_block_subject_seq", table_name="tlog_entries")
    with op.batch_alter_table("tlog_entries") as batch:
        batch.drop_column("block")
    op.create_index("ix_tlog_entries_subject_seq", "tlog_entries", ["subject", "seq"])
