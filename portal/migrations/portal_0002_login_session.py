"""portal: signed-in sessions.

Revision ID: portal_0002
Revises: portal_0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "portal_0002"
down_revision: str | None = "portal_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "portal_login_session",
        sa.Column("id_hash", sa.String(length=64), nullable=False),
        sa.Column("subject", sa.String(length=255), nullable=False),
        sa.Column("account_kind", sa.String(length=32), nullable=False),
        sa.Column("display_name", sa.String(length=200), nullable=False),
        sa.Column("person_id", sa.String(length=64), nullable=True),
        sa.Column("assurance", sa.String(length=32), nullable=True),
        sa.Column("centre", sa.String(length=32), nullable=True),
        sa.Column("acr", sa.String(length=100), nullable=True),
        sa.Column("id_token", sa.Text(), nullable=False),
        sa.Column("auth_time", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("expires_at", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id_hash", name=op.f("pk_portal_login_session")),
    )
    op.create_index(
        op.f("ix_portal_login_session_subject"), "portal_login_session", ["subject"], unique=False
    )
    op.create_index(
        op.f("ix_portal_login_session_expires_at"), "portal_login_session", ["expires_at"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_portal_login_session_expires_at"), table_name="portal_login_session")
    op.drop_index(op.f("ix_portal_login_session_subject"), table_name="portal_login_session")
    op.drop_table("portal_login_session")
