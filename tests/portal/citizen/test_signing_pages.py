"""The signing pages over HTTP, from the attacker's side: roles, CSRF, other people's documents.

The full signature (IdP, CSC API, PAdES B-LT) runs in tests/portal/journeys/test_signing.py.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest
from fastapi import FastAPI

from idp.signing.render import sample_application
from onedoor.db import transaction
from onedoor.runtime import Runtime
from portal.citizen.documents import document_of, mark_signed, request_signature
from portal.errors import AlreadyDoneError
from schemas.identifiers import PersonId
from tests.portal.sessions import HTML, csrf_of, signed_in

ALICE = PersonId.issue(province=3, serial=111).value
BOB = PersonId.issue(province=3, serial=222).value


def _document(runtime: Runtime, person_id: str) -> str:
    with transaction(runtime.sessions) as session:
        row = request_signature(session, person_id=person_id,
                                application=sample_application(datetime.now(UTC)),
                                now=int(time.time()))
        return row.public_id


def test_only_citizens_reach_the_documents(portal_app: FastAPI, portal_runtime: Runtime) -> None:
    for kind in ("officer", "data_protection_officer", "operator"):
        http = signed_in(portal_app, portal_runtime, kind=kind, centre="VTE-1")
        assert http.get("/portal/citizen/documents", headers=HTML).status_code == 403, kind
    http = signed_in(portal_app, portal_runtime, kind="citizen", person_id=ALICE)
    http.cookies.clear()
    assert http.get("/portal/citizen/documents", headers=HTML).status_code == 401


def test_another_citizens_document_is_not_found(
    portal_app: FastAPI, portal_runtime: Runtime
) -> None:
    public_id = _document(portal_runtime, BOB)
    alice = signed_in(portal_app, portal_runtime, kind="citizen", person_id=ALICE,
                      assurance="substantial")
    assert "APP-2026-000123" not in alice.get("/portal/citizen/documents", headers=HTML).text
    for suffix in ("", "/preview.pdf", "/signed.pdf"):
        response = alice.get(f"/portal/citizen/documents/{public_id}{suffix}", headers=HTML)
        assert response.status_code == 404, suffix
    token = csrf_of(alice)
    for action in ("prepare", "sign"):
        response = alice.post(f"/portal/citizen/documents/{public_id}/{action}",
                              data={"csrf_token": token, "code": "123456"}, headers=HTML)
        assert response.status_code == 404, action


def test_the_owner_previews_the_exact_pdf_and_lists_it(
    portal_app: FastAPI, portal_runtime: Runtime
) -> None:
    public_id = _document(portal_runtime, ALICE)
    alice = signed_in(portal_app, portal_runtime, kind="citizen", person_id=ALICE)
    listing = alice.get("/portal/citizen/documents", headers=HTML)
    assert f"/portal/citizen/documents/{public_id}" in listing.text
    preview = alice.get(f"/portal/citizen/documents/{public_id}/preview.pdf")
    assert preview.status_code == 200 and preview.content.startswith(b"%PDF-")
    again = alice.get(f"/portal/citizen/documents/{public_id}/preview.pdf")
    assert again.content == preview.content  # deterministic: what is shown is what is signed
    assert alice.get(f"/portal/citizen/documents/{public_id}/signed.pdf").status_code == 404


def test_every_signing_form_needs_its_csrf_token(
    portal_app: FastAPI, portal_runtime: Runtime
) -> None:
    public_id = _document(portal_runtime, ALICE)
    alice = signed_in(portal_app, portal_runtime, kind="citizen", person_id=ALICE)
    for path in (f"/portal/citizen/documents/{public_id}/prepare",
                 f"/portal/citizen/documents/{public_id}/sign", "/portal/citizen/signing-key"):
        assert alice.post(path, data={"code": "123456"}, headers=HTML).status_code == 403, path
        forged = {"code": "123456", "csrf_token": "A" * 43}
        assert alice.post(path, data=forged, headers=HTML).status_code == 403, path


def test_a_sign_without_a_prepared_signature_is_refused(
    portal_app: FastAPI, portal_runtime: Runtime
) -> None:
    """A replayed or forged "sign" POST finds no prepared hash: nothing reaches the IdP."""
    public_id = _document(portal_runtime, ALICE)
    alice = signed_in(portal_app, portal_runtime, kind="citizen", person_id=ALICE)
    response = alice.post(f"/portal/citizen/documents/{public_id}/sign",
                          data={"csrf_token": csrf_of(alice), "code": "123456"}, headers=HTML)
    # Without a prepared signature the page is shown again; its credential check needs the
    # IdP, which this portal has none of: "not available" rather than anything signed.
    assert response.status_code == 503
    with portal_runtime.sessions() as session:
        assert document_of(session, person_id=ALICE, public_id=public_id).state == "awaiting"


def test_a_document_is_signed_once(portal_runtime: Runtime) -> None:
    public_id = _document(portal_runtime, ALICE)
    with transaction(portal_runtime.sessions) as session:
        row = document_of(session, person_id=ALICE, public_id=public_id)
        mark_signed(session, row_id=row.id, signed_pdf=b"%PDF-signed", now=1)
    with pytest.raises(AlreadyDoneError), transaction(portal_runtime.sessions) as session:
        mark_signed(session, row_id=row.id, signed_pdf=b"%PDF-other", now=2)
    with portal_runtime.sessions() as session:
        assert document_of(session, person_id=ALICE, public_id=public_id).signed_pdf == (
            b"%PDF-signed"
        )
