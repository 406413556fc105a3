"""``/citizen/documents``: see an application, create a signing key, sign it, download it.

Signing is two POSTs: "prepare" shows the four-digit verification code of the exact hash about
to be signed; "sign" sends it with a fresh TOTP code to the CSC API (credentials/authorize,
then signatures/signHash) with the citizen's access token kept server-side since sign-in.
Documents are addressed by an opaque id; another citizen's is "not found".
"""

from __future__ import annotations

import asyncio
import base64
from dataclasses import dataclass
from typing import Annotated

from asn1crypto import x509 as asn1_x509
from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from idp.signing.errors import SigningServiceError
from idp.signing.ltv import LongTermSources
from onedoor.db import transaction
from onedoor.runtime import SessionDep
from portal.citizen import documents
from portal.citizen.backends import Citizen, Lazy, backends_of
from portal.citizen.csc import CscClient, SigningFailedError, WrongCodeError
from portal.citizen.models import PortalSigningDocument
from portal.citizen.remote_signing import (
    PendingSignatures,
    finish_signature,
    prepare_signature,
)
from portal.i18n import N_
from portal.login.sessions import SignedInUser, hash_session_id
from portal.login.tokens import PURPOSE, session_access_token
from portal.rendering import get_pages, portal_path
from portal.security.sessions import session_id

router = APIRouter(include_in_schema=False)
ELIGIBLE = frozenset({"substantial", "high"})


@dataclass(frozen=True)
class SigningBackends:
    csc: Lazy[CscClient]
    sources: Lazy[LongTermSources]
    pending: PendingSignatures


def signing_backends_of(request: Request) -> SigningBackends:
    backends: SigningBackends = request.app.state.signing_backends
    return backends


Signing = Annotated[SigningBackends, Depends(signing_backends_of)]


def _token(request: Request, session: SessionDep) -> str:
    return session_access_token(
        session, session_id=session_id(request),
        key=get_pages(request).config.derive_key(PURPOSE),
        now=int(backends_of(request).clock()),
    )


def _key(request: Request, public_id: str) -> tuple[str, str]:
    return hash_session_id(session_id(request)), public_id


def _document_page(
    request: Request, session: SessionDep, user: SignedInUser, signing: SigningBackends,
    public_id: str, *, status_code: int = 200, problem: str | None = None,
) -> HTMLResponse:
    assert user.person_id is not None
    row = documents.document_of(session, person_id=user.person_id, public_id=public_id)
    credential: str | None = None
    if row.state == "awaiting":
        credential = signing.csc.get().active_credential(_token(request, session))
    return get_pages(request).render(
        request, "citizen/document.html", status_code=status_code, document=row,
        application=documents.application_of(row), credential=credential,
        eligible=user.assurance in ELIGIBLE, problem=problem,
    )


@router.get("/citizen/documents", response_class=HTMLResponse)
def document_list(request: Request, user: Citizen, session: SessionDep) -> HTMLResponse:
    assert user.person_id is not None
    rows = documents.documents_of(session, person_id=user.person_id)
    return get_pages(request).render(request, "citizen/documents.html", documents=rows)


@router.get("/citizen/documents/{public_id}", response_class=HTMLResponse)
def document_page(
    request: Request, public_id: str, user: Citizen, session: SessionDep, signing: Signing
) -> HTMLResponse:
    return _document_page(request, session, user, signing, public_id)


@router.get("/citizen/documents/{public_id}/preview.pdf")
def preview(request: Request, public_id: str, user: Citizen, session: SessionDep) -> Response:
    """The PDF exactly as it will be signed."""
    assert user.person_id is not None
    row = documents.document_of(session, person_id=user.person_id, public_id=public_id)
    return Response(documents.unsigned_pdf(row), media_type="application/pdf",
                    headers={"content-disposition": f'inline; filename="{row.reference}.pdf"'})


@router.get("/citizen/documents/{public_id}/signed.pdf")
def signed_pdf(request: Request, public_id: str, user: Citizen, session: SessionDep) -> Response:
    assert user.person_id is not None
    row = documents.document_of(session, person_id=user.person_id, public_id=public_id)
    if row.signed_pdf is None:
        raise documents.DocumentNotFoundError()
    return Response(
        bytes(row.signed_pdf), media_type="application/pdf",
        headers={"content-disposition": f'attachment; filename="{row.reference}-signed.pdf"'},
    )


@router.post("/citizen/signing-key")
def create_signing_key(
    request: Request, user: Citizen, session: SessionDep, signing: Signing,
    document: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    """Create the citizen's signing key and certificate at the IdP (level substantial+)."""
    token = _token(request, session)
    csc = signing.csc.get()
    if csc.active_credential(token) is None:
        csc.create_credential(token)
    target = f"/citizen/documents/{document}" if document else "/citizen/documents"
    return RedirectResponse(portal_path(request, target), status_code=303)


@router.post("/citizen/documents/{public_id}/prepare", response_class=HTMLResponse)
def prepare(
    request: Request, public_id: str, user: Citizen, session: SessionDep, signing: Signing
) -> HTMLResponse:
    """Lay out the signature and show the verification code of the hash to be signed."""
    assert user.person_id is not None
    row = documents.document_of(session, person_id=user.person_id, public_id=public_id)
    if row.state != "awaiting":
        return _document_page(request, session, user, signing, public_id)
    token = _token(request, session)
    csc = signing.csc.get()
    credential_id = csc.active_credential(token)
    if credential_id is None:
        return _document_page(request, session, user, signing, public_id, status_code=409)
    info = csc.credential_info(token, credential_id)
    try:
        certificates = [asn1_x509.Certificate.load(base64.b64decode(value))
                        for value in info["cert"]["certificates"]]
        prepared = asyncio.run(prepare_signature(
            documents.unsigned_pdf(row), credential_id=credential_id,
            certificates=certificates, sources=signing.sources.get(),
        ))
    except (KeyError, TypeError, ValueError, SigningServiceError) as exc:
        raise SigningFailedError("the signature could not be prepared") from exc
    signing.pending.put(_key(request, public_id), prepared)
    return _confirm_page(request, row, prepared.verification_code)


def _confirm_page(
    request: Request, row: PortalSigningDocument, code: str, *,
    status_code: int = 200, problem: str | None = None,
) -> HTMLResponse:
    return get_pages(request).render(
        request, "citizen/sign.html", status_code=status_code, document=row,
        verification_code=code, problem=problem,
    )


@router.post("/citizen/documents/{public_id}/sign", response_model=None)
def sign(
    request: Request, public_id: str, user: Citizen, session: SessionDep, signing: Signing,
    code: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    """Authorise exactly the prepared hash with the TOTP code, sign it, finish the PDF."""
    assert user.person_id is not None
    row = documents.document_of(session, person_id=user.person_id, public_id=public_id)
    key = _key(request, public_id)
    prepared = signing.pending.get(key)
    if prepared is None or row.state != "awaiting":
        return _document_page(
            request, session, user, signing, public_id, status_code=409,
            problem=N_("The signature was not completed in time. Start again."),
        )
    token = _token(request, session)
    csc = signing.csc.get()
    otp = "".join(code.split())
    try:
        authorization = csc.authorize(token, credential_id=prepared.credential_id,
                                      digest=prepared.digest, otp=otp)
    except WrongCodeError:
        return _confirm_page(
            request, row, prepared.verification_code, status_code=400,
            problem=N_("That code is not correct. Type the code your app shows now."),
        )
    if authorization.verification_code != prepared.verification_code:
        signing.pending.discard(key)
        raise SigningFailedError("the service's verification code differs from the document's")
    value = csc.sign_hash(token, credential_id=prepared.credential_id, sad=authorization.sad,
                          digest=prepared.digest)
    try:
        pdf = asyncio.run(finish_signature(prepared, signature_value=value,
                                           sources=signing.sources.get()))
    except SigningServiceError as exc:
        raise SigningFailedError("the signature could not be completed") from exc
    finally:
        signing.pending.discard(key)
    with transaction(request.app.state.runtime.sessions) as writer:
        documents.mark_signed(writer, row_id=row.id, signed_pdf=pdf,
                              now=int(backends_of(request).clock()))
    return RedirectResponse(portal_path(request, f"/citizen/documents/{public_id}"), 303)
