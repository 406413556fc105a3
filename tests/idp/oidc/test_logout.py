"""RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0)."""

from __future__ import annotations

from typing import Any

from idp.oidc.strings import LO
from tests.idp.oidc.conftest import POST_LOGOUT, REDIRECT, Idp, form_fields, pkce_pair, query_of


def _id_token(idp: Idp, client: Any) -> str:
    code, verifier = idp.login(client.client.client_id)
    body = idp.token(
        client,
        grant_type="authorization_code",
        code=code,
        redirect_uri=REDIRECT,
        code_verifier=verifier,
    ).json()
    return str(body["id_token"])


def _has_session(idp: Idp, client: Any) -> bool:
    _, challenge = pkce_pair()
    response = idp.authorize(client.client.client_id, code_challenge=challenge, prompt="none")
    return "code" in query_of(response.headers["location"])


def test_logout_with_hint_ends_session_and_redirects(idp: Idp) -> None:
    client = idp.register()
    hint = _id_token(idp, client)
    response = idp.http.get(
        "/idp/logout",
        params={"id_token_hint": hint, "post_logout_redirect_uri": POST_LOGOUT, "state": "s9"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == f"{POST_LOGOUT}?state=s9"
    assert not _has_session(idp, client)


def test_unregistered_post_logout_uri_is_refused(idp: Idp) -> None:
    client = idp.register()
    hint = _id_token(idp, client)
    response = idp.http.get(
        "/idp/logout",
        params={"id_token_hint": hint, "post_logout_redirect_uri": "https://evil.example/"},
        follow_redirects=False,
    )
    assert response.status_code == 400 and "location" not in response.headers
    assert _has_session(idp, client)


def test_expired_hint_needs_confirmation_and_does_not_redirect(idp: Idp) -> None:
    client = idp.register()
    hint = _id_token(idp, client)
    idp.clock.advance(3601)  # the ID token expired, the session (12 h) did not
    response = idp.http.get(
        "/idp/logout",
        params={"id_token_hint": hint, "post_logout_redirect_uri": POST_LOGOUT},
        follow_redirects=False,
    )
    assert response.status_code == 200 and LO["logout_question"] in response.text
    assert _has_session(idp, client)
    confirm = idp.http.post(
        "/idp/logout/confirm", data=form_fields(response.text), follow_redirects=False
    )
    assert confirm.status_code == 200 and "location" not in confirm.headers
    assert not _has_session(idp, client)


def test_forged_hint_does_not_redirect(idp: Idp) -> None:
    client = idp.register()
    forged = _id_token(idp, client)[:-4] + "AAAA"
    response = idp.http.get(
        "/idp/logout",
        params={"id_token_hint": forged, "post_logout_redirect_uri": POST_LOGOUT},
        follow_redirects=False,
    )
    assert response.status_code == 200 and "location" not in response.headers
    assert _has_session(idp, client)


def test_logout_confirmation_requires_csrf(idp: Idp) -> None:
    client = idp.register()
    idp.login(client.client.client_id)
    response = idp.http.get("/idp/logout", follow_redirects=False)
    fields = {**form_fields(response.text), "csrf": "forged"}
    confirm = idp.http.post("/idp/logout/confirm", data=fields, follow_redirects=False)
    assert confirm.status_code == 400
    assert _has_session(idp, client)
