"""WebAuthn credentials: the authenticator model (AAGUID) and a suspected-clone mark.

Revision ID: idp_mfa_0002
Revises: idp_mfa_0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "idp_mfa_0002"
down_revision: str | None = "idp_mfa_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "idp_mfa_webauthn_credential"
ZERO_AAGUID = "00000000-0000-0000-0000-000000000000"


def upgrade() -> None:
    op.add_column(
        TABLE,
        sa.Column("aaguid", sa.String(length=36), nullable=False, server_default=ZERO_AAGUID),
    )
    op.add_column(
        TABLE, sa.Column("clone_suspected_at", sa.DateTime(timezone=True), nullable=True)
    )


def downgrade() -> None:
    with op.batch_alter_table(TABLE) as batch:
        batch.drop_column("clone_suspected_at")
        batch.drop_column("aaguid")
