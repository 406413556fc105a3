"""Explicit request and preview (EU Once-Only Technical System).

Data a centre fetched for an application is kept sealed as a preview; the citizen sees it
and approves or stops it; only approved, unexpired data can be used for the application.
Stopping erases the data.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

from exchange.consent import identifiers
from exchange.consent.errors import (
    InvalidConsentRequestError,
    PreviewAlreadyDecidedError,
    PreviewExpiredError,
    PreviewNotApprovedError,
    PreviewNotFoundError,
    PreviewStoppedError,
)
from exchange.consent.models import Preview
from exchange.consent.sealing import PreviewSealer
from exchange.consent.service import SUBJECT_ACTOR, parse_consent_id

APPROVED = "approved"
STOPPED = "stopped"
DEFAULT_TTL = timedelta(hours=24)
MAX_TTL = timedelta(days=30)


@dataclass(frozen=True)
class PreviewView:
    """What the citizen is shown."""

    id: str
    application_ref: str
    items: dict[str, Any]
    created_at: datetime
    expires_at: datetime
    decision: str | None
    decided_at: datetime | None
    expired: bool


def create_preview(
    session: Session,
    *,
    application_ref: str,
    subject: str,
    items: Mapping[str, Any],
    now: datetime,
    sealer: PreviewSealer,
    ttl: timedelta = DEFAULT_TTL,
    new_id: Callable[[], uuid.UUID] = uuid.uuid4,
) -> Preview:
    """Keep fetched data (item name -> JSON value) sealed until the citizen decides."""
    if not application_ref or len(application_ref) > 100 or not application_ref.isprintable():
        raise InvalidConsentRequestError("application reference needs 1 to 100 characters")
    if not timedelta(0) < ttl <= MAX_TTL:
        raise InvalidConsentRequestError("a preview lives between a second and 30 days")
    identifiers.data_items(items.keys())
    try:
        plaintext = json.dumps(dict(items), sort_keys=True, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError):
        raise InvalidConsentRequestError("previewed values must be JSON") from None
    preview = Preview(
        id=str(new_id()),
        application_ref=application_ref,
        subject=identifiers.subject_id(subject),
        created_at=now,
        expires_at=now + ttl,
    )
    preview.sealed_items = sealer.seal(plaintext.encode(), context=_context(preview))
    session.add(preview)
    session.flush()
    return preview


def show_preview(
    session: Session, *, preview_id: str, subject: str, now: datetime, sealer: PreviewSealer
) -> PreviewView:
    """The subject's own preview with its data (empty once stopped or purged)."""
    preview = _load_own(session, preview_id, subject)
    return PreviewView(
        id=preview.id,
        application_ref=preview.application_ref,
        items=_open(preview, sealer),
        created_at=preview.created_at,
        expires_at=preview.expires_at,
        decision=preview.decision,
        decided_at=preview.decided_at,
        expired=now >= preview.expires_at,
    )


def approve_preview(
    session: Session, *, preview_id: str, subject: str, now: datetime, actor: str = SUBJECT_ACTOR
) -> Preview:
    """The citizen agrees the data may be used for the application."""
    return _decide(session, preview_id, subject, APPROVED, now, actor)


def stop_preview(
    session: Session, *, preview_id: str, subject: str, now: datetime, actor: str = SUBJECT_ACTOR
) -> Preview:
    """The citizen stops the exchange; the fetched data is erased."""
    preview = _decide(session, preview_id, subject, STOPPED, now, actor)
    preview.sealed_items = None
    session.flush()
    return preview


def use_previewed_data(
    session: Session,
    *,
    preview_id: str,
    application_ref: str,
    now: datetime,
    sealer: PreviewSealer,
) -> dict[str, Any]:
    """The approved data for ``application_ref``; raises unless approved and unexpired."""
    key = parse_consent_id(preview_id)
    preview = session.get(Preview, key) if key else None
    if preview is None or preview.application_ref != application_ref:
        raise PreviewNotFoundError()
    if preview.decision == STOPPED:
        raise PreviewStoppedError()
    if now >= preview.expires_at:
        raise PreviewExpiredError()
    if preview.decision != APPROVED:
        raise PreviewNotApprovedError()
    return _open(preview, sealer)


def purge_expired_previews(session: Session, *, now: datetime) -> int:
    """Erase the data of expired previews (the decision record stays); returns how many."""
    result = session.execute(
        update(Preview)
        .where(Preview.expires_at <= now, Preview.sealed_items.is_not(None))
        .values(sealed_items=None)
        .execution_options(synchronize_session="fetch")
    )
    return int(getattr(result, "rowcount", 0) or 0)


def _decide(
    session: Session, preview_id: str, subject: str, decision: str, now: datetime, actor: str
) -> Preview:
    preview = _load_own(session, preview_id, subject)
    if preview.decision is not None:
        raise PreviewAlreadyDecidedError()
    if now >= preview.expires_at:
        raise PreviewExpiredError()
    preview.decision = decision
    preview.decided_at = now
    preview.decided_by = actor[:100]
    session.flush()
    return preview


def _load_own(session: Session, preview_id: str, subject: str) -> Preview:
    key = parse_consent_id(preview_id)
    preview = session.get(Preview, key) if key else None
    if preview is None or preview.subject != subject:
        raise PreviewNotFoundError()
    return preview


def _context(preview: Preview) -> bytes:
    # Binds the ciphertext to its row: it cannot be copied into another subject's preview.
    return f"{preview.id}\n{preview.subject}\n{preview.application_ref}".encode()


def _open(preview: Preview, sealer: PreviewSealer) -> dict[str, Any]:
    if preview.sealed_items is None:
        return {}
    items: dict[str, Any] = json.loads(sealer.open(preview.sealed_items, context=_context(preview)))
    return items
