"""Documents a citizen is asked to sign: listed for them, rendered, and stored once signed.

Another component (an officer's console, a ministry) calls :func:`request_signature` with the
application exactly as it must be signed; the citizen finds it on ``/citizen/documents``.
"""

from __future__ import annotations

import json
import secrets
from datetime import UTC, datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from idp.signing.render import Application, Field, render_application
from onedoor.errors import NotFoundError
from portal.citizen.models import PortalSigningDocument
from portal.errors import AlreadyDoneError

PUBLIC_ID_BYTES = 16
MAX_LISTED = 50


class DocumentNotFoundError(NotFoundError):
    """No such document for this citizen (another citizen's is not found either)."""

    code = "not_found"


def request_signature(
    session: Session, *, person_id: str, application: Application, now: int
) -> PortalSigningDocument:
    """Ask the citizen ``person_id`` to sign ``application`` (in the caller's transaction)."""
    content = {
        "reference": application.reference,
        "title_lo": application.title_lo, "title_en": application.title_en,
        "authority_lo": application.authority_lo, "authority_en": application.authority_en,
        "fields": [[f.label_lo, f.label_en, f.value] for f in application.fields],
        "submitted_at": int(application.submitted_at.timestamp()),
    }
    row = PortalSigningDocument(
        public_id=secrets.token_urlsafe(PUBLIC_ID_BYTES), person_id=person_id,
        reference=application.reference[:64], state="awaiting",
        content=json.dumps(content, ensure_ascii=False), signed_pdf=None, created_at=now,
        signed_at=None,
    )
    session.add(row)
    session.flush()
    return row


def documents_of(session: Session, *, person_id: str) -> list[PortalSigningDocument]:
    """The citizen's documents, awaiting ones first, newest first."""
    rows = session.scalars(
        select(PortalSigningDocument)
        .where(PortalSigningDocument.person_id == person_id)
        .order_by(PortalSigningDocument.id.desc())
        .limit(MAX_LISTED)
    )
    return sorted(rows, key=lambda row: row.state != "awaiting")


def document_of(session: Session, *, person_id: str, public_id: str) -> PortalSigningDocument:
    row = session.scalar(
        select(PortalSigningDocument).where(
            PortalSigningDocument.public_id == public_id[:64],
            PortalSigningDocument.person_id == person_id,
        )
    )
    if row is None:
        raise DocumentNotFoundError()
    return row


def application_of(row: PortalSigningDocument) -> Application:
    """The application as it was requested (the PDF renders exactly these values)."""
    data = json.loads(row.content)
    return Application(
        reference=data["reference"], title_lo=data["title_lo"], title_en=data["title_en"],
        authority_lo=data["authority_lo"], authority_en=data["authority_en"],
        fields=tuple(Field(*item) for item in data["fields"]),
        submitted_at=datetime.fromtimestamp(data["submitted_at"], UTC),
    )


def unsigned_pdf(row: PortalSigningDocument) -> bytes:
    """The PDF to sign (deterministic: the preview is byte for byte what gets signed)."""
    return render_application(application_of(row))


def mark_signed(session: Session, *, row_id: int, signed_pdf: bytes, now: int) -> None:
    """Store the signed PDF once; AlreadyDoneError if it was signed meanwhile."""
    done = session.execute(
        update(PortalSigningDocument)
        .where(PortalSigningDocument.id == row_id, PortalSigningDocument.state == "awaiting")
        .values(state="signed", signed_pdf=signed_pdf, signed_at=now)
        .execution_options(synchronize_session=False)
    )
    if getattr(done, "rowcount", 0) != 1:
        raise AlreadyDoneError("this document was already signed")
