"""Reactions to life events: one inbox of processed event ids per subscriber.

Revision ID: reactions_0001
Revises: core
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "reactions_0001"
down_revision: str | None = "core"
branch_labels: str | Sequence[str] | None = ("reactions",)
depends_on: str | Sequence[str] | None = None

INBOXES = ("familybook", "welfare", "health", "education", "statistics", "tax")


def upgrade() -> None:
    for name in INBOXES:
        table = f"reactions_{name}_inbox"
        op.create_table(
            table,
            sa.Column("event_id", sa.String(length=36), nullable=False),
            sa.Column("event_type", sa.String(length=32), nullable=False),
            sa.Column("processed_at", sa.DateTime(timezone=True), nullable=False),
            sa.PrimaryKeyConstraint("event_id", name=op.f(f"pk_{table}")),
        )


def downgrade() -> None:
    for name in reversed(INBOXES):
        op.drop_table(f"reactions_{name}_inbox")
