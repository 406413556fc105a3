"""Explicit request and preview: data is used only after the citizen approves, before expiry."""

from __future__ import annotations

import os
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import text, update
from sqlalchemy.orm import Session

from exchange.consent.errors import (
    InvalidConsentRequestError,
    PreviewAlreadyDecidedError,
    PreviewError,
    PreviewExpiredError,
    PreviewNotApprovedError,
    PreviewNotFoundError,
    PreviewStoppedError,
)
from exchange.consent.models import Preview
from exchange.consent.preview import (
    approve_preview,
    create_preview,
    purge_expired_previews,
    show_preview,
    stop_preview,
    use_previewed_data,
)
from exchange.consent.sealing import AesGcmSealer
from tests.exchange.consent.conftest import NOW, OTHER_SUBJECT, SUBJECT

SEALER = AesGcmSealer(os.urandom(32))
ITEMS: dict[str, Any] = {
    "civil.person.name": "ສົມສັກ ພົມມະວົງ",
    "familybook.household.members": [{"name": "ນາງ ແກ້ວ", "born": "2019-05-02"}],
}
APP = "APP-2025-000042"
TTL = timedelta(hours=2)


def preview(session: Session, **overrides: Any) -> Preview:
    terms: dict[str, Any] = {
        "application_ref": APP,
        "subject": SUBJECT,
        "items": ITEMS,
        "now": NOW,
        "sealer": SEALER,
        "ttl": TTL,
    }
    return create_preview(session, **(terms | overrides))


def use(session: Session, made: Preview, **overrides: Any) -> dict[str, Any]:
    call: dict[str, Any] = {
        "preview_id": made.id,
        "application_ref": APP,
        "now": NOW + timedelta(minutes=5),
        "sealer": SEALER,
    }
    return use_previewed_data(session, **(call | overrides))


def test_approved_data_can_be_used(db_session: Session) -> None:
    made = preview(db_session)
    shown = show_preview(db_session, preview_id=made.id, subject=SUBJECT, now=NOW, sealer=SEALER)
    assert shown.items == ITEMS
    assert not shown.expired
    approve_preview(db_session, preview_id=made.id, subject=SUBJECT, now=NOW)
    assert use(db_session, made) == ITEMS
    assert (made.decision, made.decided_at, made.decided_by) == ("approved", NOW, "subject")


def test_data_is_not_usable_before_approval(db_session: Session) -> None:
    made = preview(db_session)
    with pytest.raises(PreviewNotApprovedError) as caught:
        use(db_session, made)
    assert caught.value.code == "preview_not_approved"


def test_stopped_data_is_erased_and_never_usable(db_session: Session) -> None:
    made = preview(db_session)
    stop_preview(db_session, preview_id=made.id, subject=SUBJECT, now=NOW)
    assert made.sealed_items is None
    with pytest.raises(PreviewStoppedError):
        use(db_session, made)
    with pytest.raises(PreviewAlreadyDecidedError):
        approve_preview(db_session, preview_id=made.id, subject=SUBJECT, now=NOW)


def test_expired_preview_cannot_be_approved_or_used(db_session: Session) -> None:
    made = preview(db_session)
    approve_preview(db_session, preview_id=made.id, subject=SUBJECT, now=NOW)
    with pytest.raises(PreviewExpiredError):
        use(db_session, made, now=NOW + TTL)
    late = preview(db_session)
    with pytest.raises(PreviewExpiredError):
        approve_preview(db_session, preview_id=late.id, subject=SUBJECT, now=NOW + TTL)
    assert late.decision is None


def test_another_citizen_cannot_see_or_decide(db_session: Session) -> None:
    made = preview(db_session)
    with pytest.raises(PreviewNotFoundError):
        show_preview(db_session, preview_id=made.id, subject=OTHER_SUBJECT, now=NOW, sealer=SEALER)
    with pytest.raises(PreviewNotFoundError):
        approve_preview(db_session, preview_id=made.id, subject=OTHER_SUBJECT, now=NOW)
    assert made.decision is None


def test_data_is_bound_to_its_application(db_session: Session) -> None:
    made = preview(db_session)
    approve_preview(db_session, preview_id=made.id, subject=SUBJECT, now=NOW)
    with pytest.raises(PreviewNotFoundError):
        use(db_session, made, application_ref="APP-OTHER")


def test_data_is_encrypted_at_rest(db_session: Session) -> None:
    made = preview(db_session)
    raw = db_session.execute(
        text("SELECT sealed_items FROM consent_preview WHERE id = :id"), {"id": made.id}
    ).scalar_one()
    assert "ສົມສັກ".encode() not in bytes(raw)
    assert b"household" not in bytes(raw)


def test_ciphertext_moved_to_another_preview_does_not_open(db_session: Session) -> None:
    mine = preview(db_session)
    theirs = preview(db_session, subject=OTHER_SUBJECT, items={"civil.person.name": "x"})
    db_session.execute(
        update(Preview).where(Preview.id == theirs.id).values(sealed_items=mine.sealed_items)
    )
    approve_preview(db_session, preview_id=theirs.id, subject=OTHER_SUBJECT, now=NOW)
    with pytest.raises(PreviewError):
        use(db_session, theirs)


def test_purge_erases_expired_data_but_keeps_the_record(db_session: Session) -> None:
    old = preview(db_session)
    fresh = preview(db_session, now=NOW + TTL)
    assert purge_expired_previews(db_session, now=NOW + TTL) == 1
    db_session.refresh(old)
    db_session.refresh(fresh)
    assert old.sealed_items is None
    assert fresh.sealed_items is not None


@pytest.mark.parametrize(
    "overrides",
    [
        {"items": {"name": "x"}},
        {"items": {}},
        {"items": {"civil.person.name": object()}},
        {"application_ref": ""},
        {"ttl": timedelta(days=31)},
        {"subject": ""},
    ],
)
def test_bad_preview_is_refused(db_session: Session, overrides: dict[str, Any]) -> None:
    with pytest.raises(InvalidConsentRequestError):
        preview(db_session, **overrides)
