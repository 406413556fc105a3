"""Applications a centre sends to the registries, queued locally while the link is down."""

from __future__ import annotations

from sqlalchemy import BigInteger, CheckConstraint, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from onedoor.db import Base

QUEUE_STATES = ("queued", "sent", "failed")


class PortalApplicationQueue(Base):
    """One application: ``queued`` until the registry accepts it (``sent``) or refuses it.

    ``public_id`` is the opaque id in URLs; ``payload`` the JSON the registry is sent (kept
    only in this database, never logged); times are Unix seconds.
    """

    __tablename__ = "portal_application_queue"
    __table_args__ = (
        CheckConstraint(
            "state IN (" + ", ".join(f"'{s}'" for s in QUEUE_STATES) + ")", name="state"
        ),
        Index("ix_portal_application_queue_centre_state", "centre", "state"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True)
    centre: Mapped[str] = mapped_column(String(32))
    officer_subject: Mapped[str] = mapped_column(String(255))
    kind: Mapped[str] = mapped_column(String(32))
    state: Mapped[str] = mapped_column(String(16))
    payload: Mapped[str] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer)
    last_error: Mapped[str | None] = mapped_column(String(64))
    record_id: Mapped[str | None] = mapped_column(String(32))
    subject_id: Mapped[str | None] = mapped_column(String(12))
    event_id: Mapped[str | None] = mapped_column(String(36))
    created_at: Mapped[int] = mapped_column(BigInteger)
    updated_at: Mapped[int] = mapped_column(BigInteger)
