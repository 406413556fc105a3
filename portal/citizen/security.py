"""``/citizen/security``: add an authenticator app (RFC 6238) and get recovery codes once."""

from __future__ import annotations

import base64
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse
from sqlalchemy import select

from idp.accounts.errors import InvalidCredentialsError
from idp.accounts.models import Account
from idp.mfa.errors import NoPendingEnrolmentError
from idp.mfa.service import (
    confirm_totp,
    enrol_totp,
    enrolled_factors,
    generate_recovery_codes,
    remaining_recovery_codes,
)
from onedoor.runtime import SessionDep
from portal.citizen.backends import Backends, Citizen
from portal.errors import NotPermittedError, SignInRequiredError
from portal.i18n import N_
from portal.login.sessions import SignedInUser
from portal.rendering import get_pages

router = APIRouter(include_in_schema=False)
# Adding a factor needs a sign-in this recent (SP 800-63B 6.1.2.1: bind with a fresh session).
FRESH_SIGN_IN = 30 * 60


def _account(session: SessionDep, user: SignedInUser) -> Account:
    account = session.scalars(select(Account).where(Account.subject == user.subject)).first()
    if account is None or not account.active:
        raise NotPermittedError()
    return account


def _now(backends: Backends) -> datetime:
    return datetime.fromtimestamp(backends.clock(), UTC)


def _require_fresh(user: SignedInUser, now: datetime) -> None:
    if now.timestamp() - user.auth_time > FRESH_SIGN_IN:
        raise SignInRequiredError("sign in again before adding a second factor")


def svg_data_uri(svg: str) -> str:
    """The QR code as an ``img`` source (the CSP allows ``data:`` images, never scripts)."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode("ascii")


def grouped(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@router.get("/citizen/security", response_class=HTMLResponse)
def security_page(request: Request, user: Citizen, session: SessionDep) -> HTMLResponse:
    account = _account(session, user)
    return get_pages(request).render(
        request, "citizen/security.html",
        factors=enrolled_factors(session, account=account),
        recovery_left=remaining_recovery_codes(session, account_id=account.id),
    )


@router.post("/citizen/security/totp", response_class=HTMLResponse)
def start_totp(
    request: Request, user: Citizen, session: SessionDep, backends: Backends
) -> HTMLResponse:
    now = _now(backends)
    _require_fresh(user, now)
    account = _account(session, user)
    enrolment = enrol_totp(
        session, account_id=account.id, keys=backends.mfa_keys.get(), now=now
    )
    return get_pages(request).render(
        request, "citizen/totp.html", authenticator_id=enrolment.authenticator_id,
        qr=svg_data_uri(enrolment.qr_svg), secret=grouped(enrolment.secret), problem=None,
    )


@router.post("/citizen/security/totp/confirm", response_class=HTMLResponse)
def confirm(
    request: Request,
    user: Citizen,
    session: SessionDep,
    backends: Backends,
    authenticator_id: Annotated[int, Form(ge=1)],
    code: Annotated[str, Form(max_length=20)] = "",
) -> HTMLResponse:
    now = _now(backends)
    _require_fresh(user, now)
    account = _account(session, user)
    keys = backends.mfa_keys.get()
    try:
        confirm_totp(
            session, account_id=account.id, authenticator_id=authenticator_id,
            code=code.strip().replace(" ", ""), keys=keys, now=now,
        )
    except (InvalidCredentialsError, NoPendingEnrolmentError) as exc:
        problem = (
            N_("That code is not correct. Type the code your app shows now.")
            if isinstance(exc, InvalidCredentialsError)
            else N_("This set-up has expired. Start again.")
        )
        return get_pages(request).render(
            request, "citizen/totp.html", status_code=400, authenticator_id=authenticator_id,
            qr=None, secret=None, problem=problem,
        )
    codes = generate_recovery_codes(session, account_id=account.id, keys=keys, now=now)
    return get_pages(request).render(request, "citizen/recovery_codes.html", codes=codes)
