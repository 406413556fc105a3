"""Security gateway: RFC 3161 batch timestamps of the message log and per-hop times.

Revision ID: gateway_0002
Revises: gateway_0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "gateway_0002"
down_revision: str | None = "gateway_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID_LENGTH = 1100


def upgrade() -> None:
    op.create_table(
        "gwlog_timestamp",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("gateway", sa.String(ID_LENGTH), nullable=False),
        sa.Column("first_seq", sa.Integer(), nullable=False),
        sa.Column("last_seq", sa.Integer(), nullable=False),
        sa.Column("root", sa.String(64), nullable=False),
        sa.Column("token", sa.LargeBinary(), nullable=False),
        sa.Column("gen_time", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gwlog_timestamp")),
        sa.UniqueConstraint(
            "gateway", "first_seq", name=op.f("uq_gwlog_timestamp_gateway_first_seq")
        ),
    )
    op.create_table(
        "gwlog_hop",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("gateway", sa.String(ID_LENGTH), nullable=False),
        sa.Column("message_id", sa.String(255), nullable=False),
        sa.Column("hop", sa.String(32), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gwlog_hop")),
    )
    op.create_index(op.f("ix_gwlog_hop_message_id"), "gwlog_hop", ["message_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_gwlog_hop_message_id"), table_name="gwlog_hop")
    op.drop_table("gwlog_hop")
    op.drop_table("gwlog_timestamp")
