"""The officer's desk over HTTP: verify a citizen, register a birth in one screen, queue.

Attacker-side: another centre's application is not found, forms without the session's CSRF
token are refused, and a person identifier never appears in a URL.
"""

from __future__ import annotations

import html
import re
from datetime import date

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from portal.officer.applications import QueueRetrier, SendReport, send_queued
from portal.officer.models import PortalApplicationQueue
from registries.civil import service as civil
from registries.civil.models import CivilRecord
from schemas.identifiers import PersonId
from tests.portal.conftest import mounted
from tests.portal.officer.conftest import (
    HTML,
    Desk,
    Family,
    centre_code,
    csrf_of,
    new_family,
)

TODAY = date(2025, 3, 1)
_APPLICATION = re.compile(r"/portal/officer/applications/([A-Za-z0-9_-]{22})")


def birth_form(http: TestClient, family: Family, **changes: str) -> dict[str, str]:
    form = {
        "csrf_token": csrf_of(http, "/portal/officer/births/new"),
        "given_name": "ນ້ອຍ", "family_name": "ພົມມະວົງ", "given_name_roman": "Noy",
        "family_name_roman": "Phommavong", "sex": "F", "birth_date": "2025-02-20",
        "district": "0601", "mother_id": family.mother.value, "father_id": family.father.value,
    }
    form.update(changes)
    return form


def register(http: TestClient, family: Family, **changes: str) -> str:
    """Submit the one-screen birth form; returns the application's opaque id."""
    sent = http.post("/portal/officer/births", data=birth_form(http, family, **changes),
                     headers=HTML)
    assert sent.status_code == 303, sent.text
    found = _APPLICATION.fullmatch(sent.headers["location"])
    assert found, sent.headers["location"]
    return found.group(1)


def queue_rows(desk: Desk, centre: str) -> list[PortalApplicationQueue]:
    with desk.runtime.sessions() as session:
        return list(session.scalars(
            select(PortalApplicationQueue).where(PortalApplicationQueue.centre == centre)
        ))


def test_an_officer_finds_a_citizen_and_sees_the_registry_facts(desk: Desk) -> None:
    family = new_family(desk.runtime.sessions)
    http = desk.officer(centre_code())
    token = csrf_of(http)
    shown = http.post("/portal/officer/person", headers=HTML,
                      data={"csrf_token": token, "person_id": family.mother.formatted()})
    assert shown.status_code == 200
    text = html.unescape(shown.text)
    assert "ມະນີ ພົມມະວົງ" in text and "Many Phommavong" in text and "1990-01-01" in text
    assert f'href="/portal/officer/{family.mother.value}' not in text  # never in a URL
    for typed, expected in (("01-2345", "not a valid person identifier"),
                            (PersonId.issue(province=18, serial=7).value, "No person")):
        refused = http.post("/portal/officer/person", headers=HTML,
                            data={"csrf_token": token, "person_id": typed})
        assert refused.status_code == 400
        assert expected in refused.text


def test_a_birth_registered_in_one_screen_reaches_every_ministry(desk: Desk) -> None:
    family = new_family(desk.runtime.sessions)
    centre = centre_code()
    http = desk.officer(centre)
    public_id = register(http, family)
    assert family.mother.value not in public_id
    (row,) = queue_rows(desk, centre)
    assert row.state == "sent" and row.record_id and row.subject_id and row.event_id
    with desk.runtime.sessions() as session:
        child = civil.get_person(session, person_id=PersonId.parse(row.subject_id))
        assert child["motherId"] == family.mother.value
        record = civil.get_record(session, record_id=row.record_id)
        assert record["state"] == "registered"
    page = http.get(f"/portal/officer/applications/{public_id}", headers=HTML)
    assert page.status_code == 200
    done = re.search(r"these (\d+) things were done", page.text)
    assert done and int(done.group(1)) >= 4, page.text
    assert page.text.count("<li><strong>") == int(done.group(1))


def test_a_wrong_form_is_shown_again_with_its_mistakes_and_nothing_is_sent(desk: Desk) -> None:
    family = new_family(desk.runtime.sessions)
    centre = centre_code()
    http = desk.officer(centre)
    refused = http.post("/portal/officer/births", headers=HTML, data=birth_form(
        http, family, given_name="Noy", birth_date="2999-01-01", district="9999",
        father_id=family.mother.value, sex="X",
    ))
    assert refused.status_code == 400
    for message in ("Write the name in Lao script.", "cannot be in the future",
                    "Choose the district of birth.", "must be different people",
                    "Choose the child&#39;s sex."):
        assert message in refused.text
    assert queue_rows(desk, centre) == []
    assert desk.link.calls == []


def test_a_refusal_by_the_registry_fails_the_application_without_half_a_record(
    desk: Desk,
) -> None:
    family = new_family(desk.runtime.sessions)
    centre = centre_code()
    http = desk.officer(centre)
    with desk.runtime.sessions() as session:
        before = session.scalar(select(func.count(CivilRecord.id)))
    public_id = register(http, family, mother_id=family.father.value, father_id="")
    (row,) = queue_rows(desk, centre)
    assert (row.state, row.last_error) == ("failed", "inconsistent_record")
    with desk.runtime.sessions() as session:
        assert session.scalar(select(func.count(CivilRecord.id))) == before
    page = http.get(f"/portal/officer/applications/{public_id}", headers=HTML)
    assert "Refused by the registry" in page.text and "inconsistent_record" in page.text


def test_applications_queue_while_the_link_is_down_and_go_when_it_returns(desk: Desk) -> None:
    family = new_family(desk.runtime.sessions)
    centre = centre_code()
    http = desk.officer(centre)
    desk.link.down = True
    public_id = register(http, family)
    (row,) = queue_rows(desk, centre)
    assert (row.state, row.last_error, row.attempts) == ("queued", "registry_unreachable", 1)
    assert "Queued: waiting for the link" in http.get(
        f"/portal/officer/applications/{public_id}", headers=HTML).text
    home = http.get("/portal/officer/", headers=HTML).text
    assert "1 applications are waiting" in home
    still_down = http.post("/portal/officer/queue/send", data={"csrf_token": csrf_of(http)})
    assert still_down.status_code == 303
    assert queue_rows(desk, centre)[0].state == "queued"
    desk.link.down = False
    back = http.post("/portal/officer/queue/send", data={"csrf_token": csrf_of(http)})
    assert back.status_code == 303
    (row,) = queue_rows(desk, centre)
    assert (row.state, row.last_error, row.attempts) == ("sent", None, 3)
    page = http.get(f"/portal/officer/applications/{public_id}", headers=HTML).text
    done = re.search(r"these (\d+) things were done", page)
    assert done and int(done.group(1)) >= 4


def test_the_background_sender_only_sends_what_is_queued_once(desk: Desk) -> None:
    family = new_family(desk.runtime.sessions)
    centre = centre_code()
    http = desk.officer(centre)
    desk.link.down = True
    register(http, family)
    desk.link.down = False
    sessions = desk.runtime.sessions
    first = send_queued(sessions, link=desk.link, today=TODAY, now=0, centre=centre)
    again = send_queued(sessions, link=desk.link, today=TODAY, now=0, centre=centre)
    assert (first.sent, again.sent) == (1, 0)
    assert desk.link.calls.count("register") == 2  # the failed try, then the one that went


def test_an_officer_cannot_see_another_centres_application(desk: Desk) -> None:
    family = new_family(desk.runtime.sessions)
    ours, theirs = desk.officer(centre_code()), desk.officer(centre_code())
    public_id = register(ours, family)
    assert ours.get(f"/portal/officer/applications/{public_id}").status_code == 200
    assert theirs.get(f"/portal/officer/applications/{public_id}").status_code == 404
    assert public_id not in theirs.get("/portal/officer/", headers=HTML).text
    guessed = public_id[:-1] + ("A" if public_id[-1] != "A" else "B")
    assert ours.get(f"/portal/officer/applications/{guessed}").status_code == 404


def test_officer_forms_without_the_sessions_csrf_token_are_refused(desk: Desk) -> None:
    family = new_family(desk.runtime.sessions)
    centre = centre_code()
    http, other = desk.officer(centre), desk.officer(centre)
    form = birth_form(http, family)
    for token in (None, "forged", csrf_of(other)):
        data = {key: value for key, value in form.items() if key != "csrf_token"}
        if token is not None:
            data["csrf_token"] = token
        assert http.post("/portal/officer/births", data=data).status_code == 403
        assert http.post("/portal/officer/person", data={
            **({"csrf_token": token} if token else {}), "person_id": family.mother.value,
        }).status_code == 403
    cross_site = http.post("/portal/officer/births", data=form,
                           headers={"origin": "https://evil.example"})
    assert cross_site.status_code == 403
    assert queue_rows(desk, centre) == []


def test_only_signed_in_officers_use_the_desk(desk: Desk) -> None:
    anonymous = TestClient(
        mounted(desk.app), base_url="http://127.0.0.1:8000", follow_redirects=False
    )
    assert "Please sign in" in anonymous.get("/portal/officer/", headers=HTML).text
    assert anonymous.get("/portal/officer/births/new").status_code == 401
    assert anonymous.get("/portal/officer/applications/x").status_code == 401


def test_the_retry_thread_survives_a_failing_round() -> None:
    rounds: list[int] = []

    def send() -> SendReport:
        rounds.append(len(rounds))
        if len(rounds) == 1:
            raise ConnectionError("link down")
        retrier.stop_event.set()
        return SendReport(sent=1, failed=0, queued=0)

    retrier = QueueRetrier(send, interval=0)
    retrier.run_rounds()  # what the thread runs; returns once stopped
    assert rounds == [0, 1]
