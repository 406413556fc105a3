"""keys: the register of issued certificates.

Revision ID: keys_0001
Revises: core
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "keys_0001"
down_revision: str | None = "core"
branch_labels: str | Sequence[str] | None = ("keys",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "keys_certificate",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("issuer", sa.String(length=64), nullable=False),
        sa.Column("serial", sa.String(length=64), nullable=False),
        sa.Column("profile", sa.String(length=32), nullable=False),
        sa.Column("subject", sa.String(length=1024), nullable=False),
        sa.Column("member_id", sa.String(length=255), nullable=True),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("not_before", sa.DateTime(timezone=True), nullable=False),
        sa.Column("not_after", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reason", sa.String(length=32), nullable=True),
        sa.Column("pem", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "status IN ('good', 'revoked')", name=op.f("ck_keys_certificate_status")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_keys_certificate")),
        sa.UniqueConstraint("issuer", "serial", name=op.f("uq_keys_certificate_issuer_serial")),
        sa.UniqueConstraint("fingerprint", name=op.f("uq_keys_certificate_fingerprint")),
    )
    op.create_index(
        op.f("ix_keys_certificate_member_id"), "keys_certificate", ["member_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_keys_certificate_member_id"), table_name="keys_certificate")
    op.drop_table("keys_certificate")
