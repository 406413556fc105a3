"""The tax administration: notices of death received from the civil registry.

Revision ID: tax_0002
Revises: tax_0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "tax_0002"
down_revision: str | None = "tax_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "tax_death_notices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.String(length=12), nullable=False),
        sa.Column("died_on", sa.Date(), nullable=False),
        sa.Column("tin", sa.String(length=10), nullable=True),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("source_event", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tax_death_notices")),
        sa.UniqueConstraint("person_id", name=op.f("uq_tax_death_notices_person_id")),
    )


def downgrade() -> None:
    op.drop_table("tax_death_notices")
