"""Consent service tables, and the first entries of the purpose catalogue.

Revision ID: consent_0001
Revises: core
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "consent_0001"
down_revision: str | None = "core"
branch_labels: str | Sequence[str] | None = ("consent",)
depends_on: str | Sequence[str] | None = None

STATES = "'ACTIVE', 'PAUSED', 'REVOKED', 'EXPIRED'"
PURPOSES = [
    ("birth-registration", "ຈົດທະບຽນການເກີດ", "Register a birth"),
    ("business-registration", "ຈົດທະບຽນວິສາຫະກິດ", "Register a business"),
    (
        "child-allowance-eligibility",
        "ກວດສອບສິດໄດ້ຮັບເງິນອຸດໜູນເດັກ",
        "Check eligibility for the child allowance",
    ),
    (
        "health-insurance-enrolment",
        "ລົງທະບຽນປະກັນສຸຂະພາບແຫ່ງຊາດ",
        "Enrol in the national health insurance",
    ),
    ("official-statistics", "ສ້າງສະຖິຕິທາງການ", "Produce official statistics"),
    ("residence-change", "ປ່ຽນທີ່ຢູ່ອາໄສ", "Record a change of residence"),
    ("school-enrolment", "ລົງທະບຽນເຂົ້າໂຮງຮຽນ", "Enrol a child in school"),
    ("social-welfare-assessment", "ປະເມີນການຊ່ວຍເຫຼືອທາງສັງຄົມ", "Assess social welfare support"),
    ("tax-registration", "ຂຶ້ນທະບຽນອາກອນ", "Register for tax"),
]


def upgrade() -> None:
    purpose = op.create_table(
        "consent_purpose",
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("description_lo", sa.String(length=300), nullable=False),
        sa.Column("description_en", sa.String(length=300), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_consent_purpose")),
    )
    op.bulk_insert(
        purpose,
        [{"code": c, "description_lo": lo, "description_en": en} for c, lo, en in PURPOSES],
    )
    op.create_table(
        "consent_record",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("subject", sa.String(length=64), nullable=False),
        sa.Column("consumer", sa.String(length=300), nullable=False),
        sa.Column("providers", sa.JSON(), nullable=False),
        sa.Column("data_items", sa.JSON(), nullable=False),
        sa.Column("purpose", sa.String(length=64), nullable=False),
        sa.Column("not_before", sa.DateTime(timezone=True), nullable=False),
        sa.Column("not_after", sa.DateTime(timezone=True), nullable=False),
        sa.Column("max_uses", sa.Integer(), nullable=True),
        sa.Column("uses", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("signature", sa.Text(), nullable=False),
        sa.CheckConstraint(f"state IN ({STATES})", name=op.f("ck_consent_record_state")),
        sa.CheckConstraint(
            "max_uses IS NULL OR max_uses > 0", name=op.f("ck_consent_record_max_uses")
        ),
        sa.CheckConstraint("uses >= 0", name=op.f("ck_consent_record_uses")),
        sa.ForeignKeyConstraint(
            ["purpose"],
            ["consent_purpose.code"],
            name=op.f("fk_consent_record_purpose_consent_purpose"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consent_record")),
    )
    op.create_index(op.f("ix_consent_record_subject"), "consent_record", ["subject"])
    op.create_table(
        "consent_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("consent_id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("from_state", sa.String(length=16), nullable=True),
        sa.Column("to_state", sa.String(length=16), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=True),
        sa.Column("signature", sa.Text(), nullable=False),
        sa.CheckConstraint(
            f"from_state IS NULL OR from_state IN ({STATES})",
            name=op.f("ck_consent_event_from_state"),
        ),
        sa.CheckConstraint(f"to_state IN ({STATES})", name=op.f("ck_consent_event_to_state")),
        sa.ForeignKeyConstraint(
            ["consent_id"],
            ["consent_record.id"],
            name=op.f("fk_consent_event_consent_id_consent_record"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consent_event")),
    )
    op.create_index(op.f("ix_consent_event_consent_id"), "consent_event", ["consent_id"])
    op.create_table(
        "consent_legal_basis",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("service", sa.String(length=400), nullable=False),
        sa.Column("consumer", sa.String(length=300), nullable=False),
        sa.Column("law_reference", sa.String(length=500), nullable=False),
        sa.Column("purposes", sa.JSON(), nullable=False),
        sa.Column("data_items", sa.JSON(), nullable=False),
        sa.Column("valid_from", sa.DateTime(timezone=True), nullable=False),
        sa.Column("valid_to", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consent_legal_basis")),
    )
    op.create_index(op.f("ix_consent_legal_basis_service"), "consent_legal_basis", ["service"])
    op.create_table(
        "consent_service_policy",
        sa.Column("service", sa.String(length=400), nullable=False),
        sa.Column("mode", sa.String(length=16), nullable=False),
        sa.Column("data_items", sa.JSON(), nullable=False),
        sa.CheckConstraint(
            "mode IN ('consent', 'legal_basis')", name=op.f("ck_consent_service_policy_mode")
        ),
        sa.PrimaryKeyConstraint("service", name=op.f("pk_consent_service_policy")),
    )
    op.create_table(
        "consent_preview",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("application_ref", sa.String(length=100), nullable=False),
        sa.Column("subject", sa.String(length=64), nullable=False),
        sa.Column("sealed_items", sa.LargeBinary(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decision", sa.String(length=16), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by", sa.String(length=100), nullable=True),
        sa.CheckConstraint(
            "decision IS NULL OR decision IN ('approved', 'stopped')",
            name=op.f("ck_consent_preview_decision"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consent_preview")),
    )
    op.create_index(
        op.f("ix_consent_preview_application_ref"), "consent_preview", ["application_ref"]
    )
    op.create_index(op.f("ix_consent_preview_subject"), "consent_preview", ["subject"])


def downgrade() -> None:
    op.drop_table("consent_preview")
    op.drop_table("consent_service_policy")
    op.drop_index(op.f("ix_consent_legal_basis_service"), table_name="consent_legal_basis")
    op.drop_table("consent_legal_basis")
    op.drop_table("consent_event")
    op.drop_table("consent_record")
    op.drop_table("consent_purpose")
