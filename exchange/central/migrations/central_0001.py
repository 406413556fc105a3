"""Central server: instance, member directory, trusted CAs, groups, service catalogue.

Revision ID: central_0001
Revises: core
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "central_0001"
down_revision: str | None = "core"
branch_labels: str | Sequence[str] | None = ("central",)
depends_on: str | Sequence[str] | None = None

ID_LENGTH = 1100


def upgrade() -> None:
    op.create_table(
        "central_instance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("instance", sa.String(255), nullable=False),
        sa.Column("serial", sa.Integer(), nullable=False),
        sa.Column("tsa_url", sa.String(2048), nullable=True),
        sa.Column("tsa_certificate", sa.Text(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_central_instance")),
    )
    op.create_table(
        "central_member",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.String(ID_LENGTH), nullable=False),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("gateway_url", sa.String(2048), nullable=False),
        sa.Column("tls_certificate", sa.Text(), nullable=False),
        sa.Column("signing_certificate", sa.Text(), nullable=False),
        sa.Column("encryption_key", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_central_member")),
        sa.UniqueConstraint("member_id", name=op.f("uq_central_member_member_id")),
    )
    op.create_table(
        "central_subsystem",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_pk", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(255), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_pk"], ["central_member.id"], ondelete="CASCADE",
            name=op.f("fk_central_subsystem_member_pk_central_member"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_central_subsystem")),
        sa.UniqueConstraint("member_pk", "code", name=op.f("uq_central_subsystem_member_pk_code")),
    )
    op.create_table(
        "central_trusted_ca",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("certificate", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_central_trusted_ca")),
        sa.UniqueConstraint("name", name=op.f("uq_central_trusted_ca_name")),
    )
    op.create_table(
        "central_group",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(255), nullable=False),
        sa.Column("description", sa.String(255), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_central_group")),
        sa.UniqueConstraint("code", name=op.f("uq_central_group_code")),
    )
    op.create_table(
        "central_group_member",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_pk", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.String(ID_LENGTH), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_pk"], ["central_group.id"], ondelete="CASCADE",
            name=op.f("fk_central_group_member_group_pk_central_group"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_central_group_member")),
        sa.UniqueConstraint(
            "group_pk", "client_id", name=op.f("uq_central_group_member_group_pk_client_id")
        ),
    )
    op.create_table(
        "central_service",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("service_id", sa.String(ID_LENGTH), nullable=False),
        sa.Column("subsystem_pk", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(255), nullable=False),
        sa.Column("openapi", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["subsystem_pk"], ["central_subsystem.id"], ondelete="CASCADE",
            name=op.f("fk_central_service_subsystem_pk_central_subsystem"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_central_service")),
        sa.UniqueConstraint("service_id", name=op.f("uq_central_service_service_id")),
    )
    op.create_table(
        "central_access_right",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("service_pk", sa.Integer(), nullable=False),
        sa.Column("subject", sa.String(ID_LENGTH), nullable=False),
        sa.Column("method", sa.String(16), nullable=False),
        sa.Column("path_prefix", sa.String(1024), nullable=False),
        sa.Column("granted_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["service_pk"], ["central_service.id"], ondelete="CASCADE",
            name=op.f("fk_central_access_right_service_pk_central_service"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_central_access_right")),
        sa.UniqueConstraint(
            "service_pk", "subject", "method", "path_prefix",
            name=op.f("uq_central_access_right_service_pk_subject_method_path_prefix"),
        ),
    )


def downgrade() -> None:
    for table in (
        "central_access_right", "central_service", "central_group_member", "central_group",
        "central_trusted_ca", "central_subsystem", "central_member", "central_instance",
    ):
        op.drop_table(table)
