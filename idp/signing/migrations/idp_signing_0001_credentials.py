"""Signing credentials, signature activation data and the hashes each SAD covers.

Revision ID: idp_signing_0001
Revises: idp_accounts_0001 (the accounts table it refers to)
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "idp_signing_0001"
down_revision: str | None = "idp_accounts_0001"
branch_labels: str | Sequence[str] | None = ("idp_signing",)
depends_on: str | Sequence[str] | None = None

CREDENTIAL = "idp_signing_credential"
ACTIVATION = "idp_signing_activation"
ACTIVATION_HASH = "idp_signing_activation_hash"


def upgrade() -> None:
    op.create_table(
        CREDENTIAL,
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("custody", sa.String(length=32), nullable=False),
        sa.Column("key_reference", sa.LargeBinary(), nullable=True),
        sa.Column("issuer", sa.String(length=64), nullable=False),
        sa.Column("serial", sa.String(length=64), nullable=False),
        sa.Column("certificate_pem", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("status IN ('active', 'revoked')", name=op.f(f"ck_{CREDENTIAL}_status")),
        sa.ForeignKeyConstraint(
            ["account_id"], ["idp_accounts_account.id"],
            name=op.f(f"fk_{CREDENTIAL}_account_id_idp_accounts_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{CREDENTIAL}")),
    )
    op.create_index(op.f(f"ix_{CREDENTIAL}_account_id"), CREDENTIAL, ["account_id"])
    op.create_table(
        ACTIVATION,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sad_digest", sa.String(length=64), nullable=False),
        sa.Column("credential_id", sa.String(length=64), nullable=False),
        sa.Column("hash_algorithm", sa.String(length=64), nullable=False),
        sa.Column("remaining", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["credential_id"], [f"{CREDENTIAL}.id"],
            name=op.f(f"fk_{ACTIVATION}_credential_id_{CREDENTIAL}"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{ACTIVATION}")),
        sa.UniqueConstraint("sad_digest", name=op.f(f"uq_{ACTIVATION}_sad_digest")),
    )
    op.create_index(op.f(f"ix_{ACTIVATION}_credential_id"), ACTIVATION, ["credential_id"])
    op.create_table(
        ACTIVATION_HASH,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("activation_id", sa.Integer(), nullable=False),
        sa.Column("hash_b64", sa.String(length=128), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["activation_id"], [f"{ACTIVATION}.id"],
            name=op.f(f"fk_{ACTIVATION_HASH}_activation_id_{ACTIVATION}"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{ACTIVATION_HASH}")),
        sa.UniqueConstraint(
            "activation_id", "hash_b64", name=op.f(f"uq_{ACTIVATION_HASH}_activation_id_hash_b64"),
        ),
    )
    op.create_index(
        op.f(f"ix_{ACTIVATION_HASH}_activation_id"), ACTIVATION_HASH, ["activation_id"]
    )


def downgrade() -> None:
    op.drop_table(ACTIVATION_HASH)
    op.drop_table(ACTIVATION)
    op.drop_table(CREDENTIAL)
