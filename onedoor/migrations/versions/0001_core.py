"""The root revision every component's migration branch grows from.

Revision ID: core
Revises:
"""

from collections.abc import Sequence

revision: str = "core"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
