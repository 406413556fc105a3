"""keys.tsa: serial numbers of issued timestamp tokens.

Revision ID: keys_tsa_0001
Revises: core
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "keys_tsa_0001"
down_revision: str | None = "core"
branch_labels: str | Sequence[str] | None = ("keys_tsa",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "keys_tsa_serial",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("gen_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("hash_algorithm", sa.String(length=16), nullable=False),
        sa.Column("message_digest", sa.String(length=128), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_keys_tsa_serial")),
        sqlite_autoincrement=True,
    )


def downgrade() -> None:
    op.drop_table("keys_tsa_serial")
