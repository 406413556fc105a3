"""OpenID provider: the clients whose access tokens a resource server may introspect.

Revision ID: idp_oidc_0002
Revises: idp_oidc_0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "idp_oidc_0002"
down_revision: str | None = "idp_oidc_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "idp_oidc_client",
        sa.Column("introspects_for", sa.JSON(), nullable=False, server_default="[]"),
    )


def downgrade() -> None:
    op.drop_column("idp_oidc_client", "introspects_for")
