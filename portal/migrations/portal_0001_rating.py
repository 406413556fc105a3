"""portal: service ratings per centre.

Revision ID: portal_0001
Revises: core
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "portal_0001"
down_revision: str | None = "core"
branch_labels: str | Sequence[str] | None = ("portal",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "portal_rating",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("centre_code", sa.String(length=32), nullable=False),
        sa.Column("application_reference", sa.String(length=64), nullable=False),
        sa.Column("score", sa.SmallInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("score BETWEEN 1 AND 5", name=op.f("ck_portal_rating_score")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_portal_rating")),
        sa.UniqueConstraint(
            "application_reference", name=op.f("uq_portal_rating_application_reference")
        ),
    )
    op.create_index(
        op.f("ix_portal_rating_centre_code"), "portal_rating", ["centre_code"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_portal_rating_centre_code"), table_name="portal_rating")
    op.drop_table("portal_rating")
