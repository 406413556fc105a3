"""``/rating``: the one-question form and its submission."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse

from onedoor.runtime import SessionDep
from portal.errors import InvalidFormError
from portal.i18n import N_
from portal.rating.service import SCORES, submit_rating
from portal.rendering import get_pages

router = APIRouter(include_in_schema=False)

SCORE_LABELS = {
    1: N_("Very dissatisfied"),
    2: N_("Dissatisfied"),
    3: N_("Neither satisfied nor dissatisfied"),
    4: N_("Satisfied"),
    5: N_("Very satisfied"),
}


def _form(request: Request, *, status_code: int = 200, problem: str | None = None,
          centre_code: str = "", application_reference: str = "") -> HTMLResponse:
    return get_pages(request).render(
        request, "rating/form.html", status_code=status_code, problem=problem,
        scores=[(score, SCORE_LABELS[score]) for score in SCORES],
        centre_code=centre_code, application_reference=application_reference,
    )


@router.get("/rating", response_class=HTMLResponse)
def rating_form(request: Request) -> HTMLResponse:
    return _form(request)


@router.post("/rating", response_class=HTMLResponse)
def submit(
    request: Request,
    session: SessionDep,
    centre_code: Annotated[str, Form(max_length=64)] = "",
    application_reference: Annotated[str, Form(max_length=128)] = "",
    score: Annotated[str, Form(max_length=4)] = "",
) -> HTMLResponse:
    values = {"centre_code": centre_code.strip().upper(),
              "application_reference": application_reference.strip()}
    if not score.isdigit() or int(score) not in SCORES:
        return _form(request, status_code=400,
                     problem=N_("Please choose a score from 1 to 5."), **values)
    try:
        submit_rating(session, score=int(score), now=datetime.now(UTC), **values)
    except InvalidFormError:
        return _form(request, status_code=400,
                     problem=N_("Check the centre code and the application reference."), **values)
    return get_pages(request).render(request, "rating/thanks.html")
