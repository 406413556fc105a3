"""OpenID provider tables.

Revision ID: idp_oidc_0001
Revises: core
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "idp_oidc_0001"
down_revision: str | None = "core"
branch_labels: str | Sequence[str] | None = ("idp_oidc",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "idp_oidc_signing_key",
        sa.Column("kid", sa.String(64), nullable=False),
        sa.Column("alg", sa.String(16), nullable=False),
        sa.Column("public_jwk", sa.JSON(), nullable=False),
        sa.Column("sealed_private", sa.LargeBinary(), nullable=False),
        sa.Column("salt", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("retired_at", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("kid", name=op.f("pk_idp_oidc_signing_key")),
    )
    op.create_table(
        "idp_oidc_client",
        sa.Column("client_id", sa.String(64), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("redirect_uris", sa.JSON(), nullable=False),
        sa.Column("post_logout_redirect_uris", sa.JSON(), nullable=False),
        sa.Column("grant_types", sa.JSON(), nullable=False),
        sa.Column("auth_method", sa.String(32), nullable=False),
        sa.Column("secret_hash", sa.String(64), nullable=True),
        sa.Column("jwks", sa.JSON(), nullable=True),
        sa.Column("scopes", sa.JSON(), nullable=False),
        sa.Column("id_token_alg", sa.String(16), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("disabled", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("client_id", name=op.f("pk_idp_oidc_client")),
    )
    op.create_table(
        "idp_oidc_grant",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("client_id", sa.String(64), nullable=False),
        sa.Column("subject", sa.String(255), nullable=False),
        sa.Column("scope", sa.String(2000), nullable=False),
        sa.Column("acr", sa.String(100), nullable=True),
        sa.Column("amr", sa.JSON(), nullable=False),
        sa.Column("auth_time", sa.BigInteger(), nullable=True),
        sa.Column("sid", sa.String(64), nullable=True),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("revoked_at", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["idp_oidc_client.client_id"],
            name=op.f("fk_idp_oidc_grant_client_id_idp_oidc_client"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_idp_oidc_grant")),
    )
    op.create_index(op.f("ix_idp_oidc_grant_client_id"), "idp_oidc_grant", ["client_id"])
    op.create_table(
        "idp_oidc_code",
        sa.Column("code_hash", sa.String(64), nullable=False),
        sa.Column("grant_id", sa.String(64), nullable=False),
        sa.Column("redirect_uri", sa.String(2000), nullable=False),
        sa.Column("code_challenge", sa.String(128), nullable=False),
        sa.Column("nonce", sa.String(500), nullable=True),
        sa.Column("expires_at", sa.BigInteger(), nullable=False),
        sa.Column("used_at", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ["grant_id"],
            ["idp_oidc_grant.id"],
            name=op.f("fk_idp_oidc_code_grant_id_idp_oidc_grant"),
        ),
        sa.PrimaryKeyConstraint("code_hash", name=op.f("pk_idp_oidc_code")),
    )
    op.create_index(op.f("ix_idp_oidc_code_grant_id"), "idp_oidc_code", ["grant_id"])
    op.create_table(
        "idp_oidc_token",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("grant_id", sa.String(64), nullable=False),
        sa.Column("scope", sa.String(2000), nullable=False),
        sa.Column("issued_at", sa.BigInteger(), nullable=False),
        sa.Column("expires_at", sa.BigInteger(), nullable=False),
        sa.Column("used_at", sa.BigInteger(), nullable=True),
        sa.Column("revoked_at", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ["grant_id"],
            ["idp_oidc_grant.id"],
            name=op.f("fk_idp_oidc_token_grant_id_idp_oidc_grant"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_idp_oidc_token")),
    )
    op.create_index(op.f("ix_idp_oidc_token_grant_id"), "idp_oidc_token", ["grant_id"])
    op.create_table(
        "idp_oidc_session",
        sa.Column("id_hash", sa.String(64), nullable=False),
        sa.Column("sid", sa.String(64), nullable=False),
        sa.Column("subject", sa.String(255), nullable=False),
        sa.Column("acr", sa.String(100), nullable=False),
        sa.Column("amr", sa.JSON(), nullable=False),
        sa.Column("auth_time", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("expires_at", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id_hash", name=op.f("pk_idp_oidc_session")),
        sa.UniqueConstraint("sid", name=op.f("uq_idp_oidc_session_sid")),
    )
    op.create_table(
        "idp_oidc_interaction",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("csrf_hash", sa.String(64), nullable=False),
        sa.Column("request", sa.JSON(), nullable=False),
        sa.Column("stage", sa.String(16), nullable=False),
        sa.Column("first_factor", sa.JSON(), nullable=True),
        sa.Column("expires_at", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_idp_oidc_interaction")),
    )
    op.create_table(
        "idp_oidc_used_jti",
        sa.Column("client_id", sa.String(64), nullable=False),
        sa.Column("jti", sa.String(255), nullable=False),
        sa.Column("expires_at", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("client_id", "jti", name=op.f("pk_idp_oidc_used_jti")),
    )
    op.create_index(op.f("ix_idp_oidc_used_jti_expires_at"), "idp_oidc_used_jti", ["expires_at"])


def downgrade() -> None:
    op.drop_index(op.f("ix_idp_oidc_used_jti_expires_at"), table_name="idp_oidc_used_jti")
    op.drop_table("idp_oidc_used_jti")
    op.drop_table("idp_oidc_interaction")
    op.drop_table("idp_oidc_session")
    op.drop_index(op.f("ix_idp_oidc_token_grant_id"), table_name="idp_oidc_token")
    op.drop_table("idp_oidc_token")
    op.drop_index(op.f("ix_idp_oidc_code_grant_id"), table_name="idp_oidc_code")
    op.drop_table("idp_oidc_code")
    op.drop_index(op.f("ix_idp_oidc_grant_client_id"), table_name="idp_oidc_grant")
    op.drop_table("idp_oidc_grant")
    op.drop_table("idp_oidc_client")
    op.drop_table("idp_oidc_signing_key")
