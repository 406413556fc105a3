"""Refresh rotation, introspection, revocation and userinfo, from the attacker's side."""

from __future__ import annotations

from typing import Any

from tests.idp.oidc.conftest import REDIRECT, Idp


def _tokens(idp: Idp, client: Any) -> dict[str, Any]:
    code, verifier = idp.login(client.client.client_id)
    response = idp.token(
        client,
        grant_type="authorization_code",
        code=code,
        redirect_uri=REDIRECT,
        code_verifier=verifier,
    )
    body: dict[str, Any] = response.json()
    return body


def _introspect(idp: Idp, client: Any, token: str) -> dict[str, Any]:
    response = idp.http.post(
        "/idp/introspect",
        data={"token": token},
        auth=(client.client.client_id, client.secret or ""),
    )
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    return body


def test_refresh_rotates_and_reuse_revokes_the_family(idp: Idp) -> None:
    client = idp.register()
    first = _tokens(idp, client)
    second = idp.token(client, grant_type="refresh_token", refresh_token=first["refresh_token"])
    assert second.status_code == 200
    second_body = second.json()
    assert second_body["refresh_token"] != first["refresh_token"]
    reuse = idp.token(client, grant_type="refresh_token", refresh_token=first["refresh_token"])
    assert reuse.json()["error"] == "invalid_grant"
    for token in (second_body["refresh_token"], second_body["access_token"], first["access_token"]):
        assert _introspect(idp, client, token) == {"active": False}
    later = idp.token(
        client, grant_type="refresh_token", refresh_token=second_body["refresh_token"]
    )
    assert later.json()["error"] == "invalid_grant"


def test_refresh_token_of_another_client_is_refused(idp: Idp) -> None:
    owner, thief = idp.register(), idp.register()
    tokens = _tokens(idp, owner)
    response = idp.token(thief, grant_type="refresh_token", refresh_token=tokens["refresh_token"])
    assert response.json()["error"] == "invalid_grant"


def test_refresh_may_narrow_but_not_widen_scope(idp: Idp) -> None:
    client = idp.register()
    tokens = _tokens(idp, client)
    wider = idp.token(
        client,
        grant_type="refresh_token",
        refresh_token=tokens["refresh_token"],
        scope="openid profile email",
    )
    assert wider.json()["error"] == "invalid_scope"


def test_introspection_reports_active_tokens(idp: Idp) -> None:
    client = idp.register()
    tokens = _tokens(idp, client)
    state = _introspect(idp, client, tokens["access_token"])
    assert state["active"] is True and state["sub"] == "sub-alice"
    assert state["client_id"] == client.client.client_id and state["scope"] == "openid profile"
    assert _introspect(idp, client, tokens["refresh_token"])["active"] is True
    assert _introspect(idp, client, "garbage")["active"] is False
    idp.clock.advance(601)
    assert _introspect(idp, client, tokens["access_token"]) == {"active": False}


def test_introspection_requires_client_authentication(idp: Idp) -> None:
    client = idp.register()
    tokens = _tokens(idp, client)
    response = idp.http.post("/idp/introspect", data={"token": tokens["access_token"]})
    assert response.status_code == 401


def test_revoked_access_token_introspects_inactive_and_fails_userinfo(idp: Idp) -> None:
    client = idp.register()
    tokens = _tokens(idp, client)
    revoked = idp.http.post(
        "/idp/revoke",
        data={"token": tokens["access_token"]},
        auth=(client.client.client_id, client.secret or ""),
    )
    assert revoked.status_code == 200
    assert _introspect(idp, client, tokens["access_token"]) == {"active": False}
    info = idp.http.get(
        "/idp/userinfo", headers={"Authorization": f"Bearer {tokens['access_token']}"}
    )
    assert info.status_code == 401
    assert 'error="invalid_token"' in info.headers["www-authenticate"]


def test_revoking_a_refresh_token_revokes_its_grant(idp: Idp) -> None:
    client = idp.register()
    tokens = _tokens(idp, client)
    idp.http.post(
        "/idp/revoke",
        data={"token": tokens["refresh_token"]},
        auth=(client.client.client_id, client.secret or ""),
    )
    assert _introspect(idp, client, tokens["access_token"]) == {"active": False}


def test_another_client_cannot_revoke_my_token(idp: Idp) -> None:
    owner, other = idp.register(), idp.register()
    tokens = _tokens(idp, owner)
    response = idp.http.post(
        "/idp/revoke",
        data={"token": tokens["access_token"]},
        auth=(other.client.client_id, other.secret or ""),
    )
    assert response.status_code == 200
    assert _introspect(idp, owner, tokens["access_token"])["active"] is True


def test_userinfo_challenges_without_token_and_accepts_post(idp: Idp) -> None:
    client = idp.register()
    tokens = _tokens(idp, client)
    missing = idp.http.get("/idp/userinfo")
    assert missing.status_code == 401 and missing.headers["www-authenticate"].startswith("Bearer")
    tampered = tokens["access_token"][:-4] + "AAAA"
    bad = idp.http.get("/idp/userinfo", headers={"Authorization": f"Bearer {tampered}"})
    assert bad.status_code == 401
    posted = idp.http.post(
        "/idp/userinfo", headers={"Authorization": f"Bearer {tokens['access_token']}"}
    )
    assert posted.json()["sub"] == "sub-alice"


def test_id_token_is_not_accepted_as_access_token(idp: Idp) -> None:
    client = idp.register()
    tokens = _tokens(idp, client)
    response = idp.http.get(
        "/idp/userinfo", headers={"Authorization": f"Bearer {tokens['id_token']}"}
    )
    assert response.status_code == 401


def test_repeated_parameter_is_refused(idp: Idp) -> None:
    client = idp.register()
    response = idp.http.post(
        "/idp/token",
        content="grant_type=refresh_token&grant_type=authorization_code",
        headers={"content-type": "application/x-www-form-urlencoded"},
        auth=(client.client.client_id, client.secret or ""),
    )
    assert response.status_code == 400 and response.json()["error"] == "invalid_request"
