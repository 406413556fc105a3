"""portal: DPO audit trail, documents to sign, the sealed access token of a session.

Revision ID: portal_0004
Revises: portal_0003
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "portal_0004"
down_revision: str | None = "portal_0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("portal_login_session", sa.Column("access_token", sa.Text(), nullable=True))
    op.create_table(
        "portal_privacy_search",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("officer_subject", sa.String(length=255), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("criteria", sa.Text(), nullable=False),
        sa.Column("result_count", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_portal_privacy_search")),
    )
    op.create_index(
        "ix_portal_privacy_search_officer", "portal_privacy_search",
        ["officer_subject", "id"], unique=False,
    )
    op.create_table(
        "portal_signing_document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("public_id", sa.String(length=32), nullable=False),
        sa.Column("person_id", sa.String(length=64), nullable=False),
        sa.Column("reference", sa.String(length=64), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("signed_pdf", sa.LargeBinary(), nullable=True),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("signed_at", sa.BigInteger(), nullable=True),
        sa.CheckConstraint(
            "state IN ('awaiting', 'signed')", name=op.f("ck_portal_signing_document_state"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_portal_signing_document")),
        sa.UniqueConstraint("public_id", name=op.f("uq_portal_signing_document_public_id")),
    )
    op.create_index(
        "ix_portal_signing_document_person_state", "portal_signing_document",
        ["person_id", "state"], unique=False,
    )


def downgrade() -> None:
    op.drop_index(
        "ix_portal_signing_document_person_state", table_name="portal_signing_document"
    )
    op.drop_table("portal_signing_document")
    op.drop_index("ix_portal_privacy_search_officer", table_name="portal_privacy_search")
    op.drop_table("portal_privacy_search")
    with op.batch_alter_table("portal_login_session") as batch:
        batch.drop_column("access_token")
