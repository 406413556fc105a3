"""``/officer/``: find and verify a citizen, register a birth in one screen, follow it.

A person identifier is personal data: it is only ever sent in POST bodies, never in a URL;
applications are addressed by an opaque id and only within the officer's own centre.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from onedoor.db import transaction
from onedoor.runtime import SessionDep
from portal.i18n import N_
from portal.login.sessions import signed_in_user
from portal.officer import applications
from portal.officer.backends import OFFICER, Officer, OfficerDeps, officer_backends_of
from portal.officer.forms import (
    BIRTH_FIELDS,
    BirthFormInvalid,
    district_choices,
    parse_birth,
    parse_person_id,
)
from portal.officer.link import LinkUnavailableError, PersonNotFoundError
from portal.pages.start import CONSOLES
from portal.rendering import get_pages, portal_path, request_language
from schemas.errors import InvalidPersonIdError

router = APIRouter(include_in_schema=False)
MAX_FIELD = 200


async def form_fields(request: Request) -> dict[str, str]:
    """The posted form as single strings (the CSRF layer already bounded its size)."""
    async with request.form() as form:
        values = {key: value for key, value in form.items() if isinstance(value, str)}
    return {key: value[:MAX_FIELD] for key, value in values.items() if key in _KNOWN}


_KNOWN = frozenset({*BIRTH_FIELDS, "person_id", "csrf_token"})
Form = Annotated[dict[str, str], Depends(form_fields)]


def _home(request: Request, session: SessionDep, centre: str, **values: Any) -> HTMLResponse:
    rows = applications.applications_of(session, centre=centre)
    queued = sum(1 for row in rows if row.state == "queued")
    return get_pages(request).render(
        request, "officer/home.html", applications=rows, queued=queued,
        status_code=values.pop("status_code", 200),
        **{"error": None, "person_id": "", "notice": None, **values},
    )


@router.get("/officer/", response_class=HTMLResponse)
def officer_home(request: Request, session: SessionDep) -> HTMLResponse:
    """The officer's desk; everyone else sees what the console is for."""
    user = signed_in_user(request, now=officer_backends_of(request).now())
    if user is None or user.kind != OFFICER or not user.centre:
        title, description = CONSOLES["officer"]
        return get_pages(request).render(
            request, "console.html", title=title, description=description
        )
    return _home(request, session, user.centre)


@router.post("/officer/person", response_class=HTMLResponse)
def find_person(
    request: Request, user: Officer, session: SessionDep, backends: OfficerDeps, form: Form
) -> HTMLResponse:
    """Show the registry's facts for the officer to compare with the identity document."""
    assert user.centre is not None
    typed = form.get("person_id", "")
    try:
        facts = backends.link.find_person(person_id=parse_person_id(typed))
    except InvalidPersonIdError:
        error = N_("This is not a valid person identifier.")
    except PersonNotFoundError:
        error = N_("No person with this identifier is registered.")
    except LinkUnavailableError:
        error = N_("The civil registry cannot be reached. Try again later.")
    else:
        return get_pages(request).render(request, "officer/person.html", person=facts)
    return _home(request, session, user.centre, error=error, person_id=typed, status_code=400)


def _birth_form(
    request: Request, *, values: dict[str, str], errors: dict[str, str], status_code: int = 200
) -> HTMLResponse:
    return get_pages(request).render(
        request, "officer/birth.html", status_code=status_code,
        values={name: values.get(name, "") for name in BIRTH_FIELDS}, errors=errors,
        districts=district_choices(request_language(request)),
    )


@router.get("/officer/births/new", response_class=HTMLResponse)
def new_birth(request: Request, user: Officer) -> HTMLResponse:
    return _birth_form(request, values={}, errors={})


@router.post("/officer/births/new", response_class=HTMLResponse)
def new_birth_for_parent(request: Request, user: Officer, form: Form) -> HTMLResponse:
    """The birth screen with a verified parent filled in (posted, so the id stays out of URLs)."""
    return _birth_form(request, values=form, errors={})


@router.post("/officer/births", response_model=None)
def register_birth(
    request: Request, user: Officer, backends: OfficerDeps, form: Form
) -> RedirectResponse | HTMLResponse:
    """Declare, validate and register the birth, through the local queue."""
    assert user.centre is not None
    try:
        birth = parse_birth(form, today=backends.today())
    except BirthFormInvalid as exc:
        return _birth_form(request, values=form, errors=exc.errors, status_code=400)
    sessions = request.app.state.runtime.sessions
    with transaction(sessions) as session:  # queued for good before the registry is called
        row = applications.submit_birth(
            session, centre=user.centre, officer_subject=user.subject, birth=birth,
            now=backends.now(),
        )
        row_id, public_id = row.id, row.public_id
    state = applications.send_application(
        sessions, row_id=row_id, link=backends.link, today=backends.today(), now=backends.now()
    )
    if state == "sent" and backends.after_send is not None:
        backends.after_send()
    return RedirectResponse(
        portal_path(request, f"/officer/applications/{public_id}"), status_code=303
    )


@router.get("/officer/applications/{public_id}", response_class=HTMLResponse)
def application_page(
    request: Request, public_id: str, user: Officer, session: SessionDep
) -> HTMLResponse:
    """Status of one application of this centre, and what the ministries did about it."""
    assert user.centre is not None
    row = applications.application_of(session, centre=user.centre, public_id=public_id)
    return get_pages(request).render(
        request, "officer/application.html", application=row,
        birth=applications.birth_of(row), outcomes=applications.outcomes_of(session, row),
        pending=applications.deliveries_pending(session, row),
    )


@router.post("/officer/queue/send")
def send_queued(
    request: Request, user: Officer, backends: OfficerDeps
) -> RedirectResponse:
    """Send this centre's queued applications now (the link is back)."""
    assert user.centre is not None
    report = applications.send_queued(
        request.app.state.runtime.sessions, link=backends.link, today=backends.today(),
        now=backends.now(), centre=user.centre,
    )
    if report.sent and backends.after_send is not None:
        backends.after_send()
    return RedirectResponse(portal_path(request, "/officer/"), status_code=303)

