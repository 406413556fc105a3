"""Driving a sign-in over plain HTTP, as a browser would, for attacker-side tests."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import httpx

from tests.portal.journey import Citizen, hidden_fields

HTML = {"accept": "text/html"}


def query_of(url: str) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}


def callback_url(http: httpx.Client, portal_url: str, citizen: Citizen, *, code: str) -> str:
    """Start at the portal, log in at the IdP; returns the (unvisited) portal callback URL."""
    to_idp = http.get(f"{portal_url}/login")
    assert to_idp.status_code == 303
    login_page = http.get(to_idp.headers["location"], follow_redirects=True)
    action = str(login_page.url).split("?")[0]
    after_password = http.post(
        action, data={**hidden_fields(login_page.text), "login": citizen.login,
                      "password": citizen.password},
    )
    assert after_password.status_code == 303, after_password.text
    code_page = http.get(after_password.headers["location"])
    done = http.post(
        str(code_page.url).split("?")[0], data={**hidden_fields(code_page.text), "code": code},
    )
    assert done.status_code == 303, done.text
    location: str = done.headers["location"]
    assert location.startswith(f"{portal_url}/login/callback?")
    return location


def signed_in_client(portal_url: str, citizen: Citizen, *, code: str) -> httpx.Client:
    http = httpx.Client(headers=HTML, timeout=20)
    landing = http.get(callback_url(http, portal_url, citizen, code=code))
    assert landing.status_code == 303, landing.text
    return http
