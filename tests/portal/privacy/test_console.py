"""The data-protection console over HTTP: who may use it, search, export, verify, chart."""

from __future__ import annotations

import csv
import io
import json

from sqlalchemy import select, update

from exchange.transparency.store import ENTRIES
from onedoor.db import transaction
from portal.privacy.models import PortalPrivacySearch
from tests.portal.privacy.conftest import CITIZEN, MOES, MOH, Log
from tests.portal.sessions import HTML, csrf_of, signed_in

DPO = "data_protection_officer"
POSTS = ("/portal/privacy/search", "/portal/privacy/export", "/portal/privacy/verify",
         "/portal/privacy/anomalies")


def test_citizens_officers_and_strangers_are_refused(log: Log) -> None:
    citizen = signed_in(log.app, log.runtime, kind="citizen", person_id=CITIZEN)
    officer = signed_in(log.app, log.runtime, kind="officer", centre="VTE-1")
    for http in (citizen, officer):
        assert http.get("/portal/privacy/", headers=HTML).status_code == 403
        assert http.get("/portal/privacy/chart", headers=HTML).status_code == 403
        token = csrf_of(http)
        for path in POSTS:
            response = http.post(path, data={"csrf_token": token, "member": MOES}, headers=HTML)
            assert response.status_code == 403, path
    stranger = signed_in(log.app, log.runtime, kind="operator")
    stranger.cookies.clear()
    assert stranger.get("/portal/privacy/chart", headers=HTML).status_code == 401
    assert "Data-protection officers" in stranger.get("/portal/privacy/", headers=HTML).text
    with log.runtime.sessions() as session:
        assert session.scalars(select(PortalPrivacySearch)).all() == []


def test_every_form_needs_its_csrf_token(log: Log) -> None:
    dpo = signed_in(log.app, log.runtime, kind=DPO)
    for path in POSTS:
        assert dpo.post(path, data={"member": MOES}, headers=HTML).status_code == 403, path
        forged = {"member": MOES, "csrf_token": "x" * 43}
        assert dpo.post(path, data=forged, headers=HTML).status_code == 403, path


def test_a_dpo_finds_a_citizens_accesses_by_person_id_without_it_leaving_the_form(
    log: Log,
) -> None:
    dpo = signed_in(log.app, log.runtime, kind=DPO)
    token = csrf_of(dpo, "/portal/privacy/")
    response = dpo.post("/portal/privacy/search", headers=HTML,
                        data={"csrf_token": token, "person_id": CITIZEN})
    assert response.status_code == 200
    assert response.text.count("<tr>") == 3  # header row + two entries
    assert MOES in response.text and MOH in response.text and "nurse-3" in response.text
    with log.runtime.sessions() as session:
        (row,) = session.scalars(select(PortalPrivacySearch)).all()
    assert row.action == "search" and row.result_count == 2
    assert CITIZEN not in row.criteria
    assert log.keys.pseudonymizer.pseudonym(CITIZEN) in row.criteria
    refused = dpo.post("/portal/privacy/search", headers=HTML,
                       data={"csrf_token": token, "member": MOH, "outcome": "refused"})
    assert refused.text.count("no_basis") == 7


def test_bad_criteria_are_shown_beside_their_fields_and_not_recorded(log: Log) -> None:
    dpo = signed_in(log.app, log.runtime, kind=DPO)
    token = csrf_of(dpo, "/portal/privacy/")
    response = dpo.post("/portal/privacy/search", headers=HTML, data={
        "csrf_token": token, "person_id": "12345", "since": "2026-13-01", "outcome": "maybe",
        "until": "2020-01-01",
    })
    assert response.status_code == 400
    assert "This is not a valid person identifier." in response.text
    assert "Enter a date." in response.text and "Choose allowed or refused." in response.text
    with log.runtime.sessions() as session:
        assert session.scalars(select(PortalPrivacySearch)).all() == []


def test_exports_download_every_match_as_csv_and_json(log: Log) -> None:
    dpo = signed_in(log.app, log.runtime, kind=DPO)
    token = csrf_of(dpo, "/portal/privacy/")
    as_csv = dpo.post("/portal/privacy/export", headers=HTML,
                      data={"csrf_token": token, "member": MOH, "format": "csv"})
    assert as_csv.status_code == 200
    assert as_csv.headers["content-disposition"].startswith('attachment; filename="access-log-')
    rows = list(csv.DictReader(io.StringIO(as_csv.text)))
    assert len(rows) == 8 and {r["member"] for r in rows} == {MOH}
    as_json = dpo.post("/portal/privacy/export", headers=HTML,
                       data={"csrf_token": token, "person_id": CITIZEN, "format": "json"})
    entries = json.loads(as_json.text)
    assert [e["member"] for e in entries] == [MOES, MOH]
    assert all(len(e["leaf_hash"]) == 64 for e in entries)
    bad = dpo.post("/portal/privacy/export", headers=HTML,
                   data={"csrf_token": token, "format": "xlsx"})
    assert bad.status_code == 400
    with log.runtime.sessions() as session:
        actions = [r.action for r in session.scalars(select(PortalPrivacySearch))]
    assert actions == ["export", "export"]


def test_verify_shows_size_and_root_then_names_a_tampered_entry(log: Log) -> None:
    dpo = signed_in(log.app, log.runtime, kind=DPO)
    token = csrf_of(dpo, "/portal/privacy/")
    intact = dpo.post("/portal/privacy/verify", headers=HTML, data={"csrf_token": token})
    assert intact.status_code == 200
    assert 'id="tree-size">10<' in intact.text
    assert "The log is intact" in intact.text
    with transaction(log.runtime.sessions) as session:
        entry = session.execute(select(ENTRIES.c.entry).where(ENTRIES.c.seq == 4)).scalar_one()
        forged = bytes(entry).replace(b"nurse-9", b"nurse-8")
        session.execute(update(ENTRIES).where(ENTRIES.c.seq == 4).values(entry=forged))
    tampered = dpo.post("/portal/privacy/verify", headers=HTML, data={"csrf_token": token})
    assert "The log was altered" in tampered.text
    assert "Entry 4 no longer matches" in tampered.text
    with log.runtime.sessions() as session:
        rows = session.scalars(select(PortalPrivacySearch).order_by(PortalPrivacySearch.id))
        assert [(r.action, r.criteria) for r in rows] == [("verify", "ok"),
                                                          ("verify", "tampered")]


def test_anomalies_and_the_chart_with_its_table(log: Log) -> None:
    dpo = signed_in(log.app, log.runtime, kind=DPO)
    token = csrf_of(dpo, "/portal/privacy/")
    report = dpo.post("/portal/privacy/anomalies", headers=HTML,
                      data={"csrf_token": token, "days": "7"})
    assert "Refused many times" in report.text and "nurse-9" in report.text
    chart = dpo.get("/portal/privacy/chart?days=7", headers=HTML)
    assert chart.status_code == 200
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in chart.text
    assert chart.text.count("<polyline") == 2
    assert 'role="img" aria-labelledby="chart-title chart-desc"' in chart.text
    assert "<td>8</td>" in chart.text  # MOH today: 1 + 7 refused, also in the table
    assert dpo.get("/portal/privacy/chart?days=1000", headers=HTML).status_code in (400, 422)


def test_reloading_a_result_page_goes_back_to_the_console(log: Log) -> None:
    dpo = signed_in(log.app, log.runtime, kind=DPO)
    response = dpo.get("/portal/privacy/search", headers=HTML)
    assert response.status_code == 303
    assert response.headers["location"] == "/portal/privacy/"
