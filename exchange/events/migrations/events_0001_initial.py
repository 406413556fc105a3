"""Life-event routing: outbox, parties, subscriptions, deliveries, outcomes.

Revision ID: events_0001
Revises: core
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "events_0001"
down_revision: str | None = "core"
branch_labels: str | Sequence[str] | None = ("events",)
# Subscriptions name a legal basis of the consent service.
depends_on: str | Sequence[str] | None = "consent_0001"

STATES = "'pending', 'delivered', 'dead', 'refused'"


def upgrade() -> None:
    op.create_table(
        "events_outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column("event_type", sa.String(length=32), nullable=False),
        sa.Column("subject_id", sa.String(length=12), nullable=False),
        sa.Column("publisher", sa.String(length=300), nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_events_outbox")),
        sa.UniqueConstraint("event_id", name=op.f("uq_events_outbox_event_id")),
    )
    op.create_index(
        op.f("ix_events_outbox_subject_id"), "events_outbox", ["subject_id"], unique=False
    )
    op.create_table(
        "events_party",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column("person_id", sa.String(length=12), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events_outbox.event_id"],
            name=op.f("fk_events_party_event_id_events_outbox"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_events_party")),
        sa.UniqueConstraint(
            "event_id", "person_id", name=op.f("uq_events_party_event_id_person_id")
        ),
    )
    op.create_index(op.f("ix_events_party_person_id"), "events_party", ["person_id"], unique=False)
    op.create_table(
        "events_subscription",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subscriber", sa.String(length=300), nullable=False),
        sa.Column("event_type", sa.String(length=32), nullable=False),
        sa.Column("legal_basis_id", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["legal_basis_id"],
            ["consent_legal_basis.id"],
            name=op.f("fk_events_subscription_legal_basis_id_consent_legal_basis"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_events_subscription")),
        sa.UniqueConstraint(
            "subscriber", "event_type", name=op.f("uq_events_subscription_subscriber_event_type")
        ),
    )
    op.create_table(
        "events_delivery",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("outbox_id", sa.Integer(), nullable=False),
        sa.Column("subscription_id", sa.Integer(), nullable=False),
        sa.Column("subscriber", sa.String(length=300), nullable=False),
        sa.Column("subject_id", sa.String(length=12), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("claimed_by", sa.String(length=36), nullable=True),
        sa.Column("lease_expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.String(length=500), nullable=True),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(f"state IN ({STATES})", name=op.f("ck_events_delivery_state")),
        sa.ForeignKeyConstraint(
            ["outbox_id"],
            ["events_outbox.id"],
            name=op.f("fk_events_delivery_outbox_id_events_outbox"),
        ),
        sa.ForeignKeyConstraint(
            ["subscription_id"],
            ["events_subscription.id"],
            name=op.f("fk_events_delivery_subscription_id_events_subscription"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_events_delivery")),
        sa.UniqueConstraint(
            "outbox_id", "subscriber", name=op.f("uq_events_delivery_outbox_id_subscriber")
        ),
    )
    op.create_index(
        "ix_events_delivery_due", "events_delivery", ["state", "next_attempt_at"], unique=False
    )
    op.create_index(
        "ix_events_delivery_order",
        "events_delivery",
        ["subscriber", "subject_id", "outbox_id"],
        unique=False,
    )
    op.create_table(
        "events_outcome",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column("subscriber", sa.String(length=300), nullable=False),
        sa.Column("text_lo", sa.String(length=500), nullable=False),
        sa.Column("text_en", sa.String(length=500), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events_outbox.event_id"],
            name=op.f("fk_events_outcome_event_id_events_outbox"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_events_outcome")),
        sa.UniqueConstraint(
            "event_id", "subscriber", name=op.f("uq_events_outcome_event_id_subscriber")
        ),
    )


def downgrade() -> None:
    op.drop_table("events_outcome")
    op.drop_index("ix_events_delivery_order", table_name="events_delivery")
    op.drop_index("ix_events_delivery_due", table_name="events_delivery")
    op.drop_table("events_delivery")
    op.drop_table("events_subscription")
    op.drop_index(op.f("ix_events_party_person_id"), table_name="events_party")
    op.drop_table("events_party")
    op.drop_index(op.f("ix_events_outbox_subject_id"), table_name="events_outbox")
    op.drop_table("events_outbox")
