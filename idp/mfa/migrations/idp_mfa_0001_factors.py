"""TOTP authenticators, recovery codes, WebAuthn credentials and challenges.

Revision ID: idp_mfa_0001
Revises: idp_accounts_0001 (the tables it refers to)
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "idp_mfa_0001"
down_revision: str | None = "idp_accounts_0001"
branch_labels: str | Sequence[str] | None = ("idp_mfa",)
depends_on: str | Sequence[str] | None = None

ACCOUNT = "idp_accounts_account"


def _account_fk(table: str, column: str = "account_id") -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{ACCOUNT}.id"], name=op.f(f"fk_{table}_{column}_{ACCOUNT}")
    )


def upgrade() -> None:
    op.create_table(
        "idp_mfa_totp",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("label", sa.String(length=100), nullable=False),
        sa.Column("sealed_secret", sa.LargeBinary(), nullable=False),
        sa.Column("algorithm", sa.String(length=8), nullable=False),
        sa.Column("digits", sa.Integer(), nullable=False),
        sa.Column("period", sa.Integer(), nullable=False),
        sa.Column("last_step", sa.BigInteger(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("registered_by", sa.Integer(), nullable=True),
        _account_fk("idp_mfa_totp"),
        _account_fk("idp_mfa_totp", "registered_by"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_idp_mfa_totp")),
    )
    op.create_index(op.f("ix_idp_mfa_totp_account_id"), "idp_mfa_totp", ["account_id"])
    op.create_table(
        "idp_mfa_recovery_code",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("digest", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        _account_fk("idp_mfa_recovery_code"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_idp_mfa_recovery_code")),
        sa.UniqueConstraint("digest", name=op.f("uq_idp_mfa_recovery_code_digest")),
    )
    op.create_index(
        op.f("ix_idp_mfa_recovery_code_account_id"), "idp_mfa_recovery_code", ["account_id"]
    )
    op.create_table(
        "idp_mfa_webauthn_credential",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("credential_id", sa.LargeBinary(), nullable=False),
        sa.Column("public_key", sa.LargeBinary(), nullable=False),
        sa.Column("sign_count", sa.BigInteger(), nullable=False),
        sa.Column("transports", sa.String(length=200), nullable=False),
        sa.Column("hardware", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        _account_fk("idp_mfa_webauthn_credential"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_idp_mfa_webauthn_credential")),
        sa.UniqueConstraint(
            "credential_id", name=op.f("uq_idp_mfa_webauthn_credential_credential_id")
        ),
    )
    op.create_index(
        op.f("ix_idp_mfa_webauthn_credential_account_id"),
        "idp_mfa_webauthn_credential",
        ["account_id"],
    )
    op.create_table(
        "idp_mfa_webauthn_challenge",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("purpose", sa.String(length=16), nullable=False),
        sa.Column("challenge", sa.LargeBinary(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        _account_fk("idp_mfa_webauthn_challenge"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_idp_mfa_webauthn_challenge")),
        sa.UniqueConstraint(
            "challenge", name=op.f("uq_idp_mfa_webauthn_challenge_challenge")
        ),
    )
    op.create_index(
        op.f("ix_idp_mfa_webauthn_challenge_account_id"),
        "idp_mfa_webauthn_challenge",
        ["account_id"],
    )


def downgrade() -> None:
    for table in (
        "idp_mfa_webauthn_challenge",
        "idp_mfa_webauthn_credential",
        "idp_mfa_recovery_code",
        "idp_mfa_totp",
    ):
        op.drop_index(op.f(f"ix_{table}_account_id"), table_name=table)
        op.drop_table(table)
