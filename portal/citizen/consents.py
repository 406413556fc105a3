"""``/citizen/consents``: list, give, pause, resume, withdraw, and read the signed artefact.

Consents are reached by their random id; the service answers "not found" for another
citizen's consent exactly as for one that does not exist.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from exchange.consent import service
from exchange.consent.artefact import build_artefact
from exchange.consent.errors import ConsentError
from onedoor.errors import NotFoundError
from onedoor.runtime import SessionDep
from portal.citizen.backends import Backends, Citizen
from portal.citizen.catalogue import load_catalogue
from portal.errors import InvalidFormError
from portal.i18n import N_
from portal.rendering import get_pages, portal_path

router = APIRouter(include_in_schema=False)
DURATIONS = {
    "90": N_("3 months"),
    "365": N_("1 year"),
    "730": N_("2 years"),
}
STATE_NAMES = {
    "ACTIVE": N_("Active"),
    "PAUSED": N_("Paused"),
    "REVOKED": N_("Withdrawn"),
    "EXPIRED": N_("Expired"),
}
ACTIONS = {
    "pause": service.pause_consent,
    "resume": service.resume_consent,
    "withdraw": service.withdraw_consent,
}


def _now(backends: Backends) -> datetime:
    return datetime.fromtimestamp(backends.clock(), UTC)


@router.get("/citizen/consents", response_class=HTMLResponse)
def consent_list(
    request: Request, user: Citizen, session: SessionDep, backends: Backends
) -> HTMLResponse:
    assert user.person_id is not None
    consents = service.list_consents(
        session, subject=user.person_id, now=_now(backends), keys=backends.consent_keys.get()
    )
    return get_pages(request).render(
        request, "citizen/consents.html", consents=consents, states=STATE_NAMES
    )


def _give_form(
    request: Request, session: SessionDep, *, status_code: int = 200, problem: str | None = None
) -> HTMLResponse:
    return get_pages(request).render(
        request, "citizen/consent_new.html", status_code=status_code,
        catalogue=load_catalogue(session), durations=DURATIONS, problem=problem,
    )


@router.get("/citizen/consents/new", response_class=HTMLResponse)
def give_form(request: Request, user: Citizen, session: SessionDep) -> HTMLResponse:
    return _give_form(request, session)


@router.post("/citizen/consents", response_class=HTMLResponse)
def give(
    request: Request,
    user: Citizen,
    session: SessionDep,
    backends: Backends,
    consumer: Annotated[str, Form(max_length=300)] = "",
    purpose: Annotated[str, Form(max_length=64)] = "",
    items: Annotated[list[str] | None, Form(max_length=100)] = None,
    duration: Annotated[str, Form(max_length=8)] = "",
) -> Response:
    assert user.person_id is not None
    catalogue = load_catalogue(session)
    chosen = sorted(set(items or []))
    if (
        consumer not in {choice.value for choice in catalogue.consumers}
        or purpose not in {p.code for p in catalogue.purposes}
        or not chosen
        or any(item not in catalogue.providers_of for item in chosen)
        or duration not in DURATIONS
    ):
        return _give_form(
            request, session, status_code=400,
            problem=N_("Choose who may use your data, why, which data and for how long."),
        )
    now = _now(backends)
    providers = sorted({p for item in chosen for p in catalogue.providers_of[item]})
    try:
        consent = service.give_consent(
            session, subject=user.person_id, consumer=consumer, providers=providers,
            data_items=chosen, purpose=purpose, not_after=now + timedelta(days=int(duration)),
            now=now, keys=backends.consent_keys.get(),
        )
    except ConsentError as exc:
        raise InvalidFormError("the consent could not be recorded") from exc
    return RedirectResponse(portal_path(request, f"/citizen/consents/{consent.id}"), 303)


@router.get("/citizen/consents/{consent_id}", response_class=HTMLResponse)
def consent_detail(
    request: Request, consent_id: str, user: Citizen, session: SessionDep, backends: Backends
) -> HTMLResponse:
    assert user.person_id is not None
    consent = service.get_consent(
        session, consent_id=consent_id[:64], subject=user.person_id, now=_now(backends),
        keys=backends.consent_keys.get(),
    )
    artefact = json.dumps(
        {"artefact": build_artefact(consent), "signature": consent.signature},
        indent=2, ensure_ascii=False, sort_keys=True,
    )
    return get_pages(request).render(
        request, "citizen/consent.html", consent=consent, states=STATE_NAMES, artefact=artefact,
    )


@router.post("/citizen/consents/{consent_id}/{action}")
def change(
    request: Request,
    consent_id: str,
    action: str,
    user: Citizen,
    session: SessionDep,
    backends: Backends,
) -> Response:
    assert user.person_id is not None
    operation = ACTIONS.get(action)
    if operation is None:
        raise NotFoundError("no such action")
    consent = operation(
        session, consent_id=consent_id[:64], subject=user.person_id, now=_now(backends),
        keys=backends.consent_keys.get(),
    )
    return RedirectResponse(portal_path(request, f"/citizen/consents/{consent.id}"), 303)
