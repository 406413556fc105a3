"""The citizen's pages over HTTP: second factor, consents, access log; IDOR and CSRF refused."""

from __future__ import annotations

import html
import re
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pyotp
import pytest

from exchange.events.models import EventsOutbox, EventsParty
from exchange.events.outcomes import Outcome, record_outcome
from exchange.transparency import AccessEvent, append_entries, load_or_create_log_keys
from tests.portal.conftest import PortalServer
from tests.portal.journey import CONSUMER, ITEMS, Citizen, hidden_fields, new_citizen
from tests.portal.signin import signed_in_client

pytestmark = pytest.mark.slow
_CONSENT_LINK = re.compile(r'href="/portal/citizen/consents/([0-9a-f-]{36})"')


@pytest.fixture
def citizen(journey_server: PortalServer) -> Citizen:
    return new_citizen(journey_server.runtime)


@pytest.fixture
def http(journey_server: PortalServer, citizen: Citizen) -> Iterator[httpx.Client]:
    assert citizen.totp is not None
    client = signed_in_client(journey_server.portal_url, citizen, code=citizen.totp.now())
    yield client
    client.close()


def csrf(http: httpx.Client, url: str) -> str:
    return hidden_fields(http.get(url).text)["csrf_token"]


def give(http: httpx.Client, portal: str) -> str:
    token = csrf(http, f"{portal}/citizen/consents/new")
    given = http.post(f"{portal}/citizen/consents", data={
        "csrf_token": token, "consumer": CONSUMER, "purpose": "school-enrolment",
        "items": list(ITEMS), "duration": "365",
    })
    assert given.status_code == 303, given.text
    location: str = given.headers["location"]
    return location.rsplit("/", 1)[1]


def test_a_citizen_gives_pauses_resumes_and_withdraws_a_consent(
    journey_server: PortalServer, http: httpx.Client
) -> None:
    portal = journey_server.portal_url
    consent_id = give(http, portal)
    page = http.get(f"{portal}/citizen/consents/{consent_id}")
    shown = html.unescape(page.text)
    assert CONSUMER in shown and '"signature": "ey' in shown  # the signed artefact is shown
    assert '"type": "onedoor-consent/1"' in shown
    listing = http.get(f"{portal}/citizen/consents").text
    assert _CONSENT_LINK.findall(listing) == [consent_id]
    for action, state in (("pause", "PAUSED"), ("resume", "ACTIVE"), ("withdraw", "REVOKED")):
        token = csrf(http, f"{portal}/citizen/consents/{consent_id}")
        done = http.post(f"{portal}/citizen/consents/{consent_id}/{action}",
                         data={"csrf_token": token})
        assert done.status_code == 303, done.text
        shown = html.unescape(http.get(f"{portal}/citizen/consents/{consent_id}").text)
        assert f'"state": "{state}"' in shown
    token = csrf(http, f"{portal}/citizen/consents/{consent_id}")
    again = http.post(f"{portal}/citizen/consents/{consent_id}/resume", data={"csrf_token": token})
    assert again.status_code == 409  # withdrawn is for good


def test_a_citizen_cannot_see_or_change_another_citizens_consent(
    journey_server: PortalServer, http: httpx.Client
) -> None:
    portal = journey_server.portal_url
    victim = new_citizen(journey_server.runtime)
    assert victim.totp is not None
    other = signed_in_client(portal, victim, code=victim.totp.now())
    try:
        victims_consent = give(other, portal)
    finally:
        other.close()
    assert http.get(f"{portal}/citizen/consents/{victims_consent}").status_code == 404
    token = csrf(http, f"{portal}/citizen/consents")
    for action in ("pause", "withdraw"):
        attempt = http.post(f"{portal}/citizen/consents/{victims_consent}/{action}",
                            data={"csrf_token": token})
        assert attempt.status_code == 404
    assert victims_consent not in http.get(f"{portal}/citizen/consents").text


def test_forms_without_the_csrf_token_are_refused(
    journey_server: PortalServer, http: httpx.Client
) -> None:
    portal = journey_server.portal_url
    missing = http.post(f"{portal}/citizen/consents", data={
        "consumer": CONSUMER, "purpose": "school-enrolment", "items": list(ITEMS),
        "duration": "365",
    })
    assert missing.status_code == 403 and "csrf_failed" in missing.text
    assert http.post(f"{portal}/citizen/security/totp").status_code == 403
    assert http.post(f"{portal}/logout", data={"csrf_token": "forged"}).status_code == 403


def test_pages_need_a_signed_in_citizen(journey_server: PortalServer) -> None:
    with httpx.Client() as anonymous:
        for path in ("/citizen/consents", "/citizen/security", "/citizen/access",
                     "/citizen/consents/new"):
            assert anonymous.get(f"{journey_server.portal_url}{path}").status_code == 401


def test_a_citizen_adds_an_authenticator_app_and_gets_recovery_codes_once(
    journey_server: PortalServer, http: httpx.Client
) -> None:
    portal = journey_server.portal_url
    started = http.post(f"{portal}/citizen/security/totp",
                        data={"csrf_token": csrf(http, f"{portal}/citizen/security")})
    assert started.status_code == 200
    assert 'src="data:image/svg+xml;base64,' in started.text
    secret = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', started.text)
    assert secret
    fields = hidden_fields(started.text)
    wrong = http.post(f"{portal}/citizen/security/totp/confirm", data={**fields, "code": "000000"})
    assert wrong.status_code == 400
    app = pyotp.TOTP(secret.group(1).replace(" ", ""))
    done = http.post(f"{portal}/citizen/security/totp/confirm",
                     data={**hidden_fields(wrong.text), "code": app.now()})
    assert done.status_code == 200
    codes = re.findall(r"<li><code>([^<]+)</code></li>", done.text)
    assert len(codes) >= 8
    again = http.post(f"{portal}/citizen/security/totp/confirm",
                      data={**hidden_fields(wrong.text), "code": app.now()})
    assert again.status_code == 400  # the enrolment is spent; codes are not shown again
    assert "<code>" not in again.text


def test_the_access_log_shows_who_asked_for_this_citizens_data_only(
    journey_server: PortalServer, citizen: Citizen, http: httpx.Client
) -> None:
    runtime = journey_server.runtime
    other = new_citizen(runtime, with_totp=False)
    keys = load_or_create_log_keys(runtime.settings)
    when = datetime.now(UTC) - timedelta(minutes=5)
    events = [
        AccessEvent(
            member=member, user_id="officer-1", service=f"{member}/civil/person-details/v1",
            data_items=ITEMS, purpose="school-enrolment", basis_kind="consent",
            basis_reference="c-1", outcome="allowed", subject_id=subject,
            message_id=f"m-{member}", time=when,
        )
        for member, subject in (("LA/GOV/MOES/school", citizen.person_id),
                                ("LA/GOV/MOF/tax", other.person_id))
    ]
    with runtime.sessions() as session, session.begin():
        append_entries(session, entries=events, pseudonymizer=keys.pseudonymizer)
    page = http.get(f"{journey_server.portal_url}/citizen/access").text
    assert "LA/GOV/MOES/school" in page
    assert "LA/GOV/MOF/tax" not in page


def test_life_event_outcomes_are_shown_to_the_people_the_event_is_about(
    journey_server: PortalServer, citizen: Citizen, http: httpx.Client
) -> None:
    runtime = journey_server.runtime
    other = new_citizen(runtime, with_totp=False)
    now = datetime.now(UTC)
    with runtime.sessions() as session, session.begin():
        for person, text in ((citizen.person_id, "Child allowance case opened"),
                             (other.person_id, "Tax record updated")):
            event_id = str(uuid.uuid4())
            session.add(EventsOutbox(
                event_id=event_id, event_type="birth", subject_id=person,
                publisher="LA/GOV/MOHA/civil", occurred_on=now.date(), recorded_at=now,
                document="<birth/>",
            ))
            session.flush()
            session.add(EventsParty(event_id=event_id, person_id=person, role="parent"))
            record_outcome(session, event_id=event_id, subscriber="LA/GOV/MLSW/welfare",
                           outcome=Outcome(text_lo=text, text_en=text), at=now)
    page = http.get(f"{journey_server.portal_url}/citizen/events").text
    assert "Child allowance case opened" in page
    assert "Tax record updated" not in page
