"""``/privacy/``: search, export, verify and chart the access log (data-protection officers).

Everything that names or finds a citizen is POSTed; the person identifier is pseudonymised
here and never appears in a URL. Every search, export and audit is recorded with the DPO's
subject in ``portal_privacy_search`` (see :mod:`portal.privacy.criteria`).
"""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from exchange.transparency.anomalies import anomaly_report
from exchange.transparency.errors import LogTamperedError, TreeHeadSignatureError
from exchange.transparency.search import export_entries, search
from exchange.transparency.verify import verify_log
from onedoor.db import transaction
from onedoor.runtime import SessionDep
from portal.errors import NotPermittedError
from portal.i18n import N_
from portal.login.sessions import signed_in_user
from portal.pages.start import CONSOLES
from portal.privacy.backends import (
    DATA_PROTECTION_OFFICER,
    DataProtectionOfficer,
    PrivacyDeps,
    privacy_backends_of,
)
from portal.privacy.chart import MAX_DAYS, access_chart, render_svg
from portal.privacy.criteria import (
    FORM_FIELDS,
    Criteria,
    CriteriaInvalid,
    parse_criteria,
    recent_actions,
    record_action,
)
from portal.rendering import get_pages, portal_path

router = APIRouter(include_in_schema=False)
MAX_FIELD = 300
KNOWN_FIELDS = frozenset({*FORM_FIELDS, "format", "days"})
SHOWN = 200
CHART_DAYS = (7, 30, 90)
EXPORT_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json"}
ANOMALY_NAMES = {
    "many_subjects": N_("Looked at many different people"),
    "repeated_refusals": N_("Refused many times"),
}


def _home(
    request: Request, session: SessionDep, *, values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None, status_code: int = 200,
) -> HTMLResponse:
    return get_pages(request).render(
        request, "privacy/home.html", status_code=status_code, values=values or {},
        errors=errors or {}, recent=recent_actions(session, limit=10),
    )


@router.get("/privacy/", response_class=HTMLResponse)
def privacy_home(request: Request, session: SessionDep) -> HTMLResponse:
    """The DPO's console; visitors see what it is for, other signed-in accounts get 403."""
    user = signed_in_user(request, now=int(privacy_backends_of(request).clock()))
    if user is not None and user.kind != DATA_PROTECTION_OFFICER:
        raise NotPermittedError()
    if user is None:
        title, description = CONSOLES["privacy"]
        return get_pages(request).render(
            request, "console.html", title=title, description=description
        )
    return _home(request, session)


def back_to_console(request: Request, user: DataProtectionOfficer) -> Response:
    """Result pages answer a POST; reloading one (or switching language) lands on the console."""
    return RedirectResponse(portal_path(request, "/privacy/"), status_code=303)


for _page in ("search", "export", "verify", "anomalies"):
    router.add_api_route(f"/privacy/{_page}", back_to_console, methods=["GET"])


async def form_fields(request: Request) -> dict[str, str]:
    """The posted form as single strings (the CSRF layer already bounded its size)."""
    async with request.form() as form:
        return {key: value[:MAX_FIELD] for key, value in form.items()
                if isinstance(value, str) and key in KNOWN_FIELDS}


Form = Annotated[dict[str, str], Depends(form_fields)]


def _criteria(form: dict[str, str], backends: PrivacyDeps) -> Criteria:
    return parse_criteria(form, pseudonymizer=backends.pseudonymizer.get())


@router.post("/privacy/search", response_class=HTMLResponse)
def search_log(
    request: Request, user: DataProtectionOfficer, session: SessionDep, backends: PrivacyDeps,
    form: Form,
) -> HTMLResponse:
    try:
        criteria = _criteria(form, backends)
    except CriteriaInvalid as exc:
        return _home(request, session, values=form, errors=exc.errors, status_code=400)
    entries = search(session, limit=SHOWN, **vars(criteria.where))
    record_action(session, officer_subject=user.subject, action="search",
                  criteria=criteria.recorded(), result_count=len(entries), now=backends.now())
    return get_pages(request).render(
        request, "privacy/results.html", entries=entries, values=criteria.values,
        shown=SHOWN, more=len(entries) >= SHOWN,
    )


@router.post("/privacy/export")
def export(
    request: Request, user: DataProtectionOfficer, session: SessionDep, backends: PrivacyDeps,
    form: Form,
) -> Response:
    """The matching entries as a CSV or JSON download (every entry, not just the first page)."""
    kind = form.get("format", "csv")
    try:
        criteria = _criteria(form, backends)
    except CriteriaInvalid as exc:
        return _home(request, session, values=form, errors=exc.errors, status_code=400)
    if kind not in EXPORT_TYPES:
        return _home(request, session, values=form, status_code=400,
                     errors={"format": N_("Choose CSV or JSON.")})
    out = io.StringIO()
    count = export_entries(session, out=out, format="json" if kind == "json" else "csv",
                           where=criteria.where)
    now = backends.now()
    record_action(session, officer_subject=user.subject, action="export",
                  criteria=criteria.recorded(), result_count=count, now=now)
    name = f"access-log-{now.strftime('%Y%m%dT%H%M%SZ')}.{kind}"
    return Response(
        out.getvalue().encode(), media_type=EXPORT_TYPES[kind],
        headers={"content-disposition": f'attachment; filename="{name}"'},
    )


@router.post("/privacy/verify", response_class=HTMLResponse)
def verify(
    request: Request, user: DataProtectionOfficer, backends: PrivacyDeps
) -> HTMLResponse:
    """Recompute the whole log against its hashes and signed tree heads."""
    sessions = request.app.state.runtime.sessions
    result, problem, sequence, last = None, None, None, None
    with sessions() as session:
        try:
            result = verify_log(session, verifier=backends.verifier.get())
        except LogTamperedError as exc:
            problem, sequence, last = "tampered", exc.sequence, exc.last_sequence
        except TreeHeadSignatureError:
            problem = "signature"
    with transaction(sessions) as session:  # the audit is recorded whatever it found
        record_action(session, officer_subject=user.subject, action="verify",
                      criteria=problem or "ok",
                      result_count=result.tree_size if result else sequence, now=backends.now())
    return get_pages(request).render(
        request, "privacy/verify.html", status_code=200, result=result, problem=problem,
        sequence=sequence, last_sequence=last,
    )


@router.post("/privacy/anomalies", response_class=HTMLResponse)
def anomalies(
    request: Request, user: DataProtectionOfficer, session: SessionDep, backends: PrivacyDeps,
    form: Form,
) -> HTMLResponse:
    days = int(form["days"]) if form.get("days", "") in {str(d) for d in CHART_DAYS} else 30
    now = backends.now()
    found = anomaly_report(session, since=now - timedelta(days=days), until=now)
    record_action(session, officer_subject=user.subject, action="anomalies",
                  criteria=f'{{"days": {days}}}', result_count=len(found), now=now)
    return get_pages(request).render(
        request, "privacy/anomalies.html", anomalies=found, days=days, names=ANOMALY_NAMES,
    )


@router.get("/privacy/chart", response_class=HTMLResponse)
def chart(
    request: Request, user: DataProtectionOfficer, session: SessionDep, backends: PrivacyDeps,
    days: Annotated[int, Query(ge=1, le=MAX_DAYS)] = 30,
) -> HTMLResponse:
    """Accesses per member per day; ``days`` is the only parameter and names nobody."""
    data = access_chart(session, last_day=backends.now().date(), days=days)
    return get_pages(request).render(
        request, "privacy/chart.html", chart=data, days=days, choices=CHART_DAYS,
        svg=lambda title, description: render_svg(data, title=title, description=description),
    )
