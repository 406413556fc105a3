"""The citizen's consent and preview endpoints; mount with ``app.include_router(router)``.

Authentication belongs to the idp: :func:`current_subject` refuses every request until the
lead overrides it (``app.dependency_overrides[current_subject] = ...``). The signing keys and
the preview sealer are read from ``app.state.consent_keys`` and ``app.state.preview_sealer``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Body, Depends, Request, status

from exchange.consent import preview, service
from exchange.consent.api_models import (
    ChangeConsent,
    ConsentOut,
    GiveConsent,
    PreviewOut,
    SignedArtefact,
    Verification,
)
from exchange.consent.artefact import build_artefact, verify_artefact
from exchange.consent.errors import ConsentSignatureInvalidError, UnauthenticatedError
from exchange.consent.models import Consent
from exchange.consent.sealing import PreviewSealer
from exchange.consent.signing import ConsentKeys
from onedoor.errors import ConfigurationError
from onedoor.runtime import SessionDep


def current_subject() -> str:
    """The signed-in citizen's person id; a placeholder that refuses until overridden."""
    raise UnauthenticatedError()


def consent_keys(request: Request) -> ConsentKeys:
    keys: ConsentKeys | None = getattr(request.app.state, "consent_keys", None)
    if keys is None:
        raise ConfigurationError("the consent signing key is not configured")
    return keys


def preview_sealer(request: Request) -> PreviewSealer:
    sealer: PreviewSealer | None = getattr(request.app.state, "preview_sealer", None)
    if sealer is None:
        raise ConfigurationError("the preview key is not configured")
    return sealer


def clock() -> datetime:
    return datetime.now(UTC)


CurrentSubject = Annotated[str, Depends(current_subject)]
Keys = Annotated[ConsentKeys, Depends(consent_keys)]
Sealer = Annotated[PreviewSealer, Depends(preview_sealer)]
Now = Annotated[datetime, Depends(clock)]
Change = Annotated[ChangeConsent | None, Body()]

router = APIRouter(tags=["consent"])


@router.post("/consents", status_code=status.HTTP_201_CREATED)
def give(
    body: GiveConsent, subject: CurrentSubject, session: SessionDep, keys: Keys, now: Now
) -> ConsentOut:
    consent = service.give_consent(
        session,
        subject=subject,
        consumer=body.data_consumer,
        providers=body.data_providers,
        data_items=body.data_items,
        purpose=body.purpose,
        not_before=body.not_before,
        not_after=body.not_after,
        max_uses=body.max_uses,
        now=now,
        keys=keys,
    )
    return ConsentOut.of(consent)


@router.get("/consents")
def mine(subject: CurrentSubject, session: SessionDep, keys: Keys, now: Now) -> list[ConsentOut]:
    consents = service.list_consents(session, subject=subject, now=now, keys=keys)
    return [ConsentOut.of(consent) for consent in consents]


@router.post("/consents/verify")
def verify(body: SignedArtefact, session: SessionDep, keys: Keys) -> Verification:
    """Check a shown artefact's signature (no sign-in: a third party calls it)."""
    key_id = verify_artefact(body.artefact, body.signature, keys)
    artefact = body.artefact
    stored = session.get(Consent, str(artefact.get("consent_id")))
    try:
        return Verification(
            valid=True,
            consent_id=artefact["consent_id"],
            version=artefact["version"],
            state=artefact["state"],
            key_id=key_id,
            current=stored is not None and stored.signature == body.signature,
        )
    except (KeyError, ValueError):
        raise ConsentSignatureInvalidError() from None


@router.get("/consents/{consent_id}")
def one(
    consent_id: str, subject: CurrentSubject, session: SessionDep, keys: Keys, now: Now
) -> ConsentOut:
    consent = service.get_consent(
        session, consent_id=consent_id, subject=subject, now=now, keys=keys
    )
    return ConsentOut.of(consent)


@router.get("/consents/{consent_id}/artefact")
def artefact(
    consent_id: str, subject: CurrentSubject, session: SessionDep, keys: Keys, now: Now
) -> SignedArtefact:
    """The signed artefact, for the citizen to show to a third party."""
    consent = service.get_consent(
        session, consent_id=consent_id, subject=subject, now=now, keys=keys
    )
    return SignedArtefact(artefact=build_artefact(consent), signature=consent.signature)


@router.post("/consents/{consent_id}/pause")
def pause(
    consent_id: str,
    subject: CurrentSubject,
    session: SessionDep,
    keys: Keys,
    now: Now,
    body: Change = None,
) -> ConsentOut:
    return ConsentOut.of(
        service.pause_consent(
            session,
            consent_id=consent_id,
            subject=subject,
            now=now,
            keys=keys,
            reason=body.reason if body else None,
        )
    )


@router.post("/consents/{consent_id}/resume")
def resume(
    consent_id: str,
    subject: CurrentSubject,
    session: SessionDep,
    keys: Keys,
    now: Now,
    body: Change = None,
) -> ConsentOut:
    return ConsentOut.of(
        service.resume_consent(
            session,
            consent_id=consent_id,
            subject=subject,
            now=now,
            keys=keys,
            reason=body.reason if body else None,
        )
    )


@router.post("/consents/{consent_id}/withdraw")
def withdraw(
    consent_id: str,
    subject: CurrentSubject,
    session: SessionDep,
    keys: Keys,
    now: Now,
    body: Change = None,
) -> ConsentOut:
    return ConsentOut.of(
        service.withdraw_consent(
            session,
            consent_id=consent_id,
            subject=subject,
            now=now,
            keys=keys,
            reason=body.reason if body else None,
        )
    )


@router.get("/previews/{preview_id}")
def show_preview(
    preview_id: str, subject: CurrentSubject, session: SessionDep, sealer: Sealer, now: Now
) -> PreviewOut:
    view = preview.show_preview(
        session, preview_id=preview_id, subject=subject, now=now, sealer=sealer
    )
    return PreviewOut.of(view)


@router.post("/previews/{preview_id}/approve")
def approve_preview(
    preview_id: str, subject: CurrentSubject, session: SessionDep, sealer: Sealer, now: Now
) -> PreviewOut:
    preview.approve_preview(session, preview_id=preview_id, subject=subject, now=now)
    return show_preview(preview_id, subject, session, sealer, now)


@router.post("/previews/{preview_id}/stop")
def stop_preview(
    preview_id: str, subject: CurrentSubject, session: SessionDep, sealer: Sealer, now: Now
) -> PreviewOut:
    preview.stop_preview(session, preview_id=preview_id, subject=subject, now=now)
    return show_preview(preview_id, subject, session, sealer, now)
