"""Centres, accounts and failed-attempt counters.

Revision ID: idp_accounts_0001
Revises: core
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "idp_accounts_0001"
down_revision: str | None = "core"
branch_labels: str | Sequence[str] | None = ("idp_accounts",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "idp_accounts_centre",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name_lo", sa.String(length=200), nullable=False),
        sa.Column("name_en", sa.String(length=200), nullable=False),
        sa.Column("province", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_idp_accounts_centre")),
        sa.UniqueConstraint("code", name=op.f("uq_idp_accounts_centre_code")),
    )
    op.create_table(
        "idp_accounts_account",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subject", sa.String(length=64), nullable=False),
        sa.Column("login", sa.String(length=128), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("centre_id", sa.Integer(), nullable=True),
        sa.Column("person_id", sa.String(length=64), nullable=True),
        sa.Column("display_name", sa.String(length=200), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=True),
        sa.Column("password_must_change", sa.Boolean(), nullable=False),
        sa.Column("assurance_level", sa.String(length=16), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("password_changed_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "kind IN ('citizen', 'officer', 'data_protection_officer', 'operator')",
            name=op.f("ck_idp_accounts_account_kind"),
        ),
        sa.CheckConstraint(
            "kind <> 'officer' OR centre_id IS NOT NULL",
            name=op.f("ck_idp_accounts_account_officer_centre"),
        ),
        sa.CheckConstraint(
            "assurance_level IN ('low', 'substantial', 'high')",
            name=op.f("ck_idp_accounts_account_level"),
        ),
        sa.ForeignKeyConstraint(
            ["centre_id"],
            ["idp_accounts_centre.id"],
            name=op.f("fk_idp_accounts_account_centre_id_idp_accounts_centre"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_idp_accounts_account")),
        sa.UniqueConstraint("subject", name=op.f("uq_idp_accounts_account_subject")),
        sa.UniqueConstraint("login", name=op.f("uq_idp_accounts_account_login")),
        sa.UniqueConstraint("person_id", name=op.f("uq_idp_accounts_account_person_id")),
    )
    op.create_index(
        op.f("ix_idp_accounts_account_centre_id"), "idp_accounts_account", ["centre_id"]
    )
    op.create_table(
        "idp_accounts_throttle",
        sa.Column("scope", sa.String(length=16), nullable=False),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("window_started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_failure_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("locked_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("scope", "key", name=op.f("pk_idp_accounts_throttle")),
    )


def downgrade() -> None:
    op.drop_table("idp_accounts_throttle")
    op.drop_index(op.f("ix_idp_accounts_account_centre_id"), table_name="idp_accounts_account")
    op.drop_table("idp_accounts_account")
    op.drop_table("idp_accounts_centre")
