"""The citizen's consent API: one call to give or withdraw, only one's own consents visible."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from exchange.consent.api import clock, current_subject, router
from exchange.consent.artefact import build_artefact
from exchange.consent.preview import create_preview
from exchange.consent.sealing import AesGcmSealer
from exchange.consent.signing import LocalConsentKeys
from onedoor.config import Settings
from onedoor.http import create_component_app
from onedoor.runtime import create_runtime, get_session
from tests.exchange.consent.conftest import (
    CONSUMER,
    NOW,
    OTHER_SUBJECT,
    PROVIDER,
    PURPOSE,
    SUBJECT,
    give,
)

SEALER = AesGcmSealer(os.urandom(32))
MISSING = "/consents/00000000-0000-4000-8000-000000000000"
GIVE: dict[str, Any] = {
    "data_consumer": CONSUMER,
    "data_providers": [PROVIDER],
    "data_items": ["civil.person.name"],
    "purpose": PURPOSE,
    "not_after": (NOW + timedelta(days=30)).isoformat(),
    "max_uses": 10,
}


class Caller:
    """Who the overridden authentication dependency says is signed in."""

    subject: str | None = SUBJECT


@pytest.fixture
def caller() -> Caller:
    return Caller()


@pytest.fixture
def client(
    settings: Settings,
    migrated_engine: Engine,
    db_session: Session,
    keys: LocalConsentKeys,
    caller: Caller,
) -> Iterator[TestClient]:
    app = create_component_app(
        "consent", create_runtime(settings, engine=migrated_engine), title="consent"
    )
    app.include_router(router)
    app.state.consent_keys = keys
    app.state.preview_sealer = SEALER

    def signed_in() -> str:
        if caller.subject is None:
            return current_subject()
        return caller.subject

    app.dependency_overrides[current_subject] = signed_in
    app.dependency_overrides[get_session] = lambda: db_session  # rolled back after the test
    app.dependency_overrides[clock] = lambda: NOW
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


def given(client: TestClient) -> dict[str, Any]:
    response = client.post("/consents", json=GIVE)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def test_without_sign_in_everything_is_refused(client: TestClient, caller: Caller) -> None:
    caller.subject = None
    for response in (client.get("/consents"), client.post("/consents", json=GIVE)):
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "unauthenticated"


def test_give_list_read_and_withdraw(client: TestClient) -> None:
    consent = given(client)
    assert consent["state"] == "ACTIVE"
    assert consent["uses"] == 0
    assert [c["id"] for c in client.get("/consents").json()] == [consent["id"]]
    assert client.get(f"/consents/{consent['id']}").json() == consent
    withdrawn = client.post(f"/consents/{consent['id']}/withdraw")
    assert withdrawn.status_code == 200
    assert withdrawn.json()["state"] == "REVOKED"
    again = client.post(f"/consents/{consent['id']}/withdraw")
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "consent_illegal_transition"


def test_pause_and_resume_with_a_reason(client: TestClient) -> None:
    consent = given(client)
    paused = client.post(f"/consents/{consent['id']}/pause", json={"reason": "moving house"})
    assert paused.json()["state"] == "PAUSED"
    assert client.post(f"/consents/{consent['id']}/resume").json()["state"] == "ACTIVE"


def test_artefact_verifies_for_a_third_party(client: TestClient, caller: Caller) -> None:
    consent = given(client)
    shown = client.get(f"/consents/{consent['id']}/artefact").json()
    assert shown["artefact"]["data_subject"] == SUBJECT
    caller.subject = None  # the third party is not signed in
    verified = client.post("/consents/verify", json=shown)
    assert verified.status_code == 200
    assert verified.json()["valid"] is True
    assert verified.json()["current"] is True
    caller.subject = SUBJECT
    client.post(f"/consents/{consent['id']}/withdraw")
    stale = client.post("/consents/verify", json=shown).json()
    assert (stale["valid"], stale["current"], stale["state"]) == (True, False, "ACTIVE")


@pytest.mark.parametrize(
    "change",
    [
        {"data_items": ["civil.person.name", "familybook.household.members"]},
        {"max_uses": None},
        {"state": "ACTIVE", "version": 99},
        {"extra": "field"},
    ],
)
def test_altered_artefact_does_not_verify(client: TestClient, change: dict[str, Any]) -> None:
    consent = given(client)
    shown = client.get(f"/consents/{consent['id']}/artefact").json()
    shown["artefact"].update(change)
    response = client.post("/consents/verify", json=shown)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "consent_signature_invalid"


def test_artefact_signed_by_another_key_does_not_verify(
    client: TestClient, db_session: Session, other_keys: LocalConsentKeys
) -> None:
    forged = give(db_session, other_keys, subject=SUBJECT)
    body = {"artefact": build_artefact(forged), "signature": forged.signature}
    response = client.post("/consents/verify", json=body)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "consent_signature_invalid"


@pytest.mark.parametrize(
    ("method", "suffix"),
    [("get", ""), ("get", "/artefact"), ("post", "/pause"), ("post", "/withdraw")],
)
def test_another_citizens_consent_is_not_found(
    client: TestClient, caller: Caller, method: str, suffix: str
) -> None:
    consent = given(client)
    caller.subject = OTHER_SUBJECT
    response = client.request(method, f"/consents/{consent['id']}{suffix}")
    absent = client.request(method, f"{MISSING}{suffix}")
    assert response.status_code == 404
    assert (
        response.json()
        == absent.json()
        == {"error": {"code": "not_found", "message": "No such consent."}}
    )
    assert client.get("/consents").json() == []
    caller.subject = SUBJECT
    assert client.get(f"/consents/{consent['id']}").json()["state"] == "ACTIVE"


@pytest.mark.parametrize(
    ("change", "status", "code"),
    [
        ({"purpose": "marketing"}, 400, "consent_unknown_purpose"),
        ({"data_consumer": "somebody"}, 400, "consent_invalid"),
        ({"not_after": "2025-04-01T00:00:00"}, 422, "invalid_request"),
        ({"max_uses": 0}, 422, "invalid_request"),
        ({"subject": OTHER_SUBJECT}, 422, "invalid_request"),
    ],
)
def test_bad_consent_requests(
    client: TestClient, change: dict[str, Any], status: int, code: str
) -> None:
    response = client.post("/consents", json=GIVE | change)
    assert response.status_code == status
    assert response.json()["error"]["code"] == code
    assert client.get("/consents").json() == []


def test_preview_is_shown_then_approved(client: TestClient, db_session: Session) -> None:
    made = create_preview(
        db_session,
        application_ref="APP-1",
        subject=SUBJECT,
        items={"civil.person.name": "ສົມສັກ"},
        now=NOW,
        sealer=SEALER,
    )
    shown = client.get(f"/previews/{made.id}").json()
    assert shown["items"] == {"civil.person.name": "ສົມສັກ"}
    assert shown["decision"] is None
    approved = client.post(f"/previews/{made.id}/approve").json()
    assert approved["decision"] == "approved"
    assert client.post(f"/previews/{made.id}/stop").json()["error"]["code"] == (
        "preview_already_decided"
    )


def test_preview_stopped_and_hidden_from_others(
    client: TestClient, db_session: Session, caller: Caller
) -> None:
    made = create_preview(
        db_session,
        application_ref="APP-2",
        subject=SUBJECT,
        items={"civil.person.name": "x"},
        now=NOW,
        sealer=SEALER,
    )
    caller.subject = OTHER_SUBJECT
    assert client.get(f"/previews/{made.id}").status_code == 404
    assert client.post(f"/previews/{made.id}/stop").status_code == 404
    caller.subject = SUBJECT
    stopped = client.post(f"/previews/{made.id}/stop").json()
    assert (stopped["decision"], stopped["items"]) == ("stopped", {})
