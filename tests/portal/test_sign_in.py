"""Signing in to the portal through OneDoor's own provider, over HTTP, and the attacks on it."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import httpx
import pytest

from tests.portal.conftest import PortalServer
from tests.portal.journey import Citizen, new_citizen
from tests.portal.signin import HTML, callback_url, query_of, signed_in_client

pytestmark = pytest.mark.slow


@pytest.fixture
def new_http() -> Iterator[Callable[[], httpx.Client]]:
    """Fresh "browsers" (cookie jars), closed after the test."""
    clients: list[httpx.Client] = []

    def make() -> httpx.Client:
        clients.append(httpx.Client(headers=HTML, timeout=20))
        return clients[-1]

    yield make
    for client in clients:
        client.close()


@pytest.fixture
def citizen(journey_server: PortalServer) -> Citizen:
    return new_citizen(journey_server.runtime)


def test_password_and_totp_sign_the_citizen_in_and_logout_ends_both_sessions(
    journey_server: PortalServer, citizen: Citizen, new_http: Callable[[], httpx.Client]
) -> None:
    assert citizen.totp is not None
    http = new_http()
    landing = http.get(callback_url(http, journey_server.portal_url, citizen,
                                    code=citizen.totp.now()))
    assert landing.status_code == 303
    assert landing.headers["location"] == "/portal/citizen/"
    home = http.get(f"{journey_server.portal_url}/citizen/")
    assert "ສົມໃຈ ພົມມະວົງ" in home.text and "/portal/logout" in home.text
    assert citizen.person_id not in home.text  # the identifier is never shown or linked
    token = re.search(r'name="csrf_token" value="([^"]+)"', home.text)
    assert token
    out = http.post(f"{journey_server.portal_url}/logout", data={"csrf_token": token.group(1)})
    assert out.status_code == 303
    target = out.headers["location"]
    assert target.startswith(f"{journey_server.base_url}/idp/logout?")
    assert "id_token_hint" in query_of(target)
    back = http.get(target)  # the hint names this IdP session: no confirmation needed
    assert back.status_code == 303
    assert back.headers["location"].startswith(f"{journey_server.portal_url}/")
    assert http.get(f"{journey_server.portal_url}/citizen/consents").status_code == 401
    again = http.get(f"{journey_server.portal_url}/login", follow_redirects=True)
    assert "/idp/login" in str(again.url)  # the IdP session is gone too


def test_a_recovery_code_also_signs_in(journey_server: PortalServer) -> None:
    citizen = new_citizen(journey_server.runtime, with_totp=False)
    http = signed_in_client(journey_server.portal_url, citizen, code=citizen.recovery_codes[0])
    try:
        assert http.get(f"{journey_server.portal_url}/citizen/security").status_code == 200
    finally:
        http.close()


def test_callback_with_a_wrong_state_is_refused(
    journey_server: PortalServer, citizen: Citizen, new_http: Callable[[], httpx.Client]
) -> None:
    assert citizen.totp is not None
    http = new_http()
    url = callback_url(http, journey_server.portal_url, citizen, code=citizen.totp.now())
    params = query_of(url)
    forged = http.get(f"{journey_server.portal_url}/login/callback",
                      params={**params, "state": "attacker-state"})
    assert forged.status_code == 400 and "sign_in_failed" in forged.text
    assert http.get(f"{journey_server.portal_url}/citizen/consents").status_code == 401


def test_a_stolen_code_cannot_be_used_in_another_browser_nor_replayed(
    journey_server: PortalServer, citizen: Citizen, new_http: Callable[[], httpx.Client]
) -> None:
    assert citizen.totp is not None
    victim = new_http()
    url = callback_url(victim, journey_server.portal_url, citizen, code=citizen.totp.now())
    attacker = new_http()
    assert attacker.get(url).status_code == 400  # no matching sign-in in the attacker's browser
    assert victim.get(url).status_code == 303  # the victim's own browser completes it
    replay = victim.get(url)  # the sign-in state was spent with the first use
    assert replay.status_code == 400 and "sign_in_failed" in replay.text


def test_an_error_response_from_the_provider_signs_nobody_in(
    journey_server: PortalServer, new_http: Callable[[], httpx.Client]
) -> None:
    http = new_http()
    to_idp = http.get(f"{journey_server.portal_url}/login")
    state = query_of(to_idp.headers["location"])["state"]
    refused = http.get(f"{journey_server.portal_url}/login/callback",
                       params={"state": state, "error": "access_denied"})
    assert refused.status_code == 400
    assert http.get(f"{journey_server.portal_url}/citizen/").text.count("/portal/logout") == 0
