"""Security gateway: seen message ids and the hash-chained message log.

Revision ID: gateway_0001
Revises: core
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "gateway_0001"
down_revision: str | None = "core"
branch_labels: str | Sequence[str] | None = ("gateway",)
depends_on: str | Sequence[str] | None = None

ID_LENGTH = 1100


def upgrade() -> None:
    op.create_table(
        "gateway_seen_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("gateway", sa.String(ID_LENGTH), nullable=False),
        sa.Column("sender", sa.String(ID_LENGTH), nullable=False),
        sa.Column("message_id", sa.String(255), nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gateway_seen_message")),
        sa.UniqueConstraint(
            "gateway", "sender", "message_id",
            name=op.f("uq_gateway_seen_message_gateway_sender_message_id"),
        ),
    )
    op.create_index(
        op.f("ix_gateway_seen_message_seen_at"), "gateway_seen_message", ["seen_at"]
    )
    op.create_table(
        "gwlog_record",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("gateway", sa.String(ID_LENGTH), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("logged_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("message_id", sa.String(255), nullable=False),
        sa.Column("client", sa.String(ID_LENGTH), nullable=False),
        sa.Column("service", sa.String(ID_LENGTH), nullable=False),
        sa.Column("request_hash", sa.String(128), nullable=False),
        sa.Column("sealed", sa.LargeBinary(), nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("row_hash", sa.String(64), nullable=False),
        sa.Column("timestamp_token", sa.LargeBinary(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gwlog_record")),
        sa.UniqueConstraint("gateway", "seq", name=op.f("uq_gwlog_record_gateway_seq")),
    )
    op.create_index(op.f("ix_gwlog_record_message_id"), "gwlog_record", ["message_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_gwlog_record_message_id"), table_name="gwlog_record")
    op.drop_table("gwlog_record")
    op.drop_index(op.f("ix_gateway_seen_message_seen_at"), table_name="gateway_seen_message")
    op.drop_table("gateway_seen_message")
