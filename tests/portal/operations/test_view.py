"""The operations view: operators only; applications, ratings and traffic per centre/member."""

from __future__ import annotations

import time
from datetime import UTC, datetime

from exchange.transparency.keys import load_or_create_log_keys
from exchange.transparency.log import append_entries
from onedoor.db import transaction
from portal.officer.models import PortalApplicationQueue
from portal.rating.service import submit_rating
from tests.portal.privacy.conftest import CITIZEN, Log, access
from tests.portal.sessions import HTML, signed_in


def test_citizens_officers_and_dpos_get_403(log: Log) -> None:
    for kind in ("citizen", "officer", "data_protection_officer"):
        http = signed_in(log.app, log.runtime, kind=kind, person_id=CITIZEN, centre="VTE-1")
        assert http.get("/portal/operations/", headers=HTML).status_code == 403, kind
    http = signed_in(log.app, log.runtime, kind="operator")
    http.cookies.clear()
    assert http.get("/portal/operations/", headers=HTML).status_code == 401


def test_an_operator_sees_applications_ratings_and_refusals(log: Log) -> None:
    now = int(time.time())
    with transaction(log.runtime.sessions) as session:
        for i, (state, seconds) in enumerate([("sent", 40), ("sent", 60), ("sent", 500),
                                              ("queued", 0)]):
            session.add(PortalApplicationQueue(
                public_id=f"app-{i}", centre="VTE-01", officer_subject="o", kind="birth",
                state=state, payload="{}", attempts=1, last_error=None, record_id=None,
                subject_id=None, event_id=None, created_at=now, updated_at=now + seconds,
            ))
        submit_rating(session, centre_code="VTE-01", application_reference="APP-1", score=4,
                      now=datetime.now(UTC))
        submit_rating(session, centre_code="VTE-01", application_reference="APP-2", score=5,
                      now=datetime.now(UTC))
        append_entries(session, entries=[access("LA/GOV/MOF/tax", CITIZEN, outcome="refused")],
                       pseudonymizer=load_or_create_log_keys(log.runtime.settings).pseudonymizer)
    operator = signed_in(log.app, log.runtime, kind="operator")
    page = operator.get("/portal/operations/", headers=HTML)
    assert page.status_code == 200
    text = page.text
    row = text[text.index('<th scope="row">VTE-01</th>'):]
    assert row.startswith('<th scope="row">VTE-01</th><td>3</td><td>1</td><td>0</td><td>60</td>')
    assert "<td>2</td><td>4.5</td>" in text
    traffic = text[text.index('id="traffic"'):]
    assert '<th scope="row">LA/GOV/MOH/clinic</th><td>0</td><td>0</td><td>7</td>' in traffic
    assert '<th scope="row">LA/GOV/MOF/tax</th><td>0</td><td>0</td><td>1</td>' in traffic
    assert CITIZEN not in text
    assert operator.get("/portal/operations/?days=0", headers=HTML).status_code in (400, 422)
