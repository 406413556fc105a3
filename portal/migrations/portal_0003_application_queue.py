"""portal: the officer console's application queue.

Revision ID: portal_0003
Revises: portal_0002
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "portal_0003"
down_revision: str | None = "portal_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "portal_application_queue",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("public_id", sa.String(length=32), nullable=False),
        sa.Column("centre", sa.String(length=32), nullable=False),
        sa.Column("officer_subject", sa.String(length=255), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.String(length=64), nullable=True),
        sa.Column("record_id", sa.String(length=32), nullable=True),
        sa.Column("subject_id", sa.String(length=12), nullable=True),
        sa.Column("event_id", sa.String(length=36), nullable=True),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.BigInteger(), nullable=False),
        sa.CheckConstraint(
            "state IN ('queued', 'sent', 'failed')",
            name=op.f("ck_portal_application_queue_state"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_portal_application_queue")),
        sa.UniqueConstraint("public_id", name=op.f("uq_portal_application_queue_public_id")),
    )
    op.create_index(
        "ix_portal_application_queue_centre_state", "portal_application_queue",
        ["centre", "state"], unique=False,
    )


def downgrade() -> None:
    op.drop_index(
        "ix_portal_application_queue_centre_state", table_name="portal_application_queue"
    )
    op.drop_table("portal_application_queue")
