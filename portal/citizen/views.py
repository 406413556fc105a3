"""``/citizen/``: the citizen's start page, who accessed my data, and life-event outcomes."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from exchange.events.outcomes import outcomes_for_subject
from exchange.transparency.search import search
from onedoor.runtime import SessionDep
from portal.citizen.backends import CITIZEN, Backends, Citizen, backends_of
from portal.login.sessions import signed_in_user
from portal.pages.start import CONSOLES
from portal.rendering import get_pages

router = APIRouter(include_in_schema=False)
ACCESS_LOG_LIMIT = 200


@router.get("/citizen/", response_class=HTMLResponse)
def citizen_home(request: Request) -> HTMLResponse:
    """The signed-in citizen's menu; everyone else sees what the console is for."""
    user = signed_in_user(request, now=int(backends_of(request).clock()))
    pages = get_pages(request)
    if user is None or user.kind != CITIZEN:
        title, description = CONSOLES["citizen"]
        return pages.render(request, "console.html", title=title, description=description)
    return pages.render(request, "citizen/home.html")


@router.get("/citizen/access", response_class=HTMLResponse)
def access_log(
    request: Request, user: Citizen, session: SessionDep, backends: Backends
) -> HTMLResponse:
    """Every recorded access to the citizen's data, newest first (Estonia's Data Tracker)."""
    assert user.person_id is not None
    pseudonym = backends.pseudonymizer.get().pseudonym(user.person_id)
    entries = search(session, subject_pseudonym=pseudonym, limit=ACCESS_LOG_LIMIT)
    return get_pages(request).render(request, "citizen/access.html", entries=entries)


@router.get("/citizen/events", response_class=HTMLResponse)
def life_events(request: Request, user: Citizen, session: SessionDep) -> HTMLResponse:
    """What each ministry did after life events about this citizen (tell us once)."""
    assert user.person_id is not None
    outcomes = outcomes_for_subject(session, person_id=user.person_id)
    return get_pages(request).render(request, "citizen/events.html", outcomes=outcomes)
