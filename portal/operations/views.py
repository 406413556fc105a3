"""``/operations/``: what an operator watches (GET only; centre codes and member ids only)."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from onedoor.runtime import SessionDep
from portal.errors import NotPermittedError, SignInRequiredError
from portal.login.sessions import SignedInUser, signed_in_user
from portal.operations.figures import operations
from portal.rendering import get_pages

router = APIRouter(include_in_schema=False)
OPERATOR = "operator"
WINDOWS = (1, 7, 30)


def require_operator(request: Request) -> SignedInUser:
    user = signed_in_user(request, now=int(time.time()))
    if user is None:
        raise SignInRequiredError()
    if user.kind != OPERATOR:
        raise NotPermittedError()
    return user


Operator = Annotated[SignedInUser, Depends(require_operator)]


@router.get("/operations/", response_class=HTMLResponse)
def operations_page(
    request: Request, user: Operator, session: SessionDep,
    days: Annotated[int, Query(ge=1, le=90)] = 7,
) -> HTMLResponse:
    until = datetime.now(UTC)
    figures = operations(session, since=until - timedelta(days=days), until=until)
    return get_pages(request).render(
        request, "operations/home.html", figures=figures, days=days, windows=WINDOWS,
    )
