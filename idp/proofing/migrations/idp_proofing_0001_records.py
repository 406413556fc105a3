"""Identity proofing records.

Revision ID: idp_proofing_0001
Revises: idp_accounts_0001 (the tables it refers to)
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "idp_proofing_0001"
down_revision: str | None = "idp_accounts_0001"
branch_labels: str | Sequence[str] | None = ("idp_proofing",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "idp_proofing_record",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.String(length=64), nullable=False),
        sa.Column("method", sa.String(length=16), nullable=False),
        sa.Column("evidence", sa.String(length=200), nullable=False),
        sa.Column("level", sa.String(length=16), nullable=False),
        sa.Column("officer_id", sa.Integer(), nullable=True),
        sa.Column("centre_id", sa.Integer(), nullable=True),
        sa.Column("checked_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["idp_accounts_account.id"],
            name=op.f("fk_idp_proofing_record_account_id_idp_accounts_account"),
        ),
        sa.ForeignKeyConstraint(
            ["officer_id"],
            ["idp_accounts_account.id"],
            name=op.f("fk_idp_proofing_record_officer_id_idp_accounts_account"),
        ),
        sa.ForeignKeyConstraint(
            ["centre_id"],
            ["idp_accounts_centre.id"],
            name=op.f("fk_idp_proofing_record_centre_id_idp_accounts_centre"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_idp_proofing_record")),
    )
    op.create_index(
        op.f("ix_idp_proofing_record_account_id"), "idp_proofing_record", ["account_id"]
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_idp_proofing_record_account_id"), table_name="idp_proofing_record")
    op.drop_table("idp_proofing_record")
