"""Authorization code + PKCE through the browser pages, and attacks on it."""

from __future__ import annotations

from joserfc import jwt
from joserfc.jwk import KeySet

from idp.oidc import acr
from idp.oidc.strings import LO
from tests.idp.oidc.conftest import REDIRECT, Idp, pkce_pair, query_of


def _verify_id_token(idp: Idp, token: str, client_id: str) -> dict[str, object]:
    keys = KeySet.import_key_set(idp.http.get("/idp/jwks").json())
    decoded = jwt.decode(token, keys, algorithms=["ES256", "RS256"])
    jwt.JWTClaimsRegistry(
        now=idp.provider.now(),
        iss={"essential": True, "value": idp.issuer},
        aud={"essential": True, "value": client_id},
    ).validate(decoded.claims)
    return dict(decoded.claims)


def test_code_flow_issues_verifiable_tokens_and_userinfo(idp: Idp) -> None:
    client = idp.register()
    code, verifier = idp.login(client.client.client_id)
    response = idp.token(
        client,
        grant_type="authorization_code",
        code=code,
        redirect_uri=REDIRECT,
        code_verifier=verifier,
    )
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    body = response.json()
    assert body["token_type"] == "Bearer" and body["refresh_token"]
    claims = _verify_id_token(idp, body["id_token"], client.client.client_id)
    assert claims["sub"] == "sub-alice" and claims["nonce"] == "n-1"
    assert claims["acr"] == acr.LOW and claims["amr"] == ["pwd"]
    assert {"auth_time", "sid", "at_hash"} <= set(claims)
    info = idp.http.get(
        "/idp/userinfo", headers={"Authorization": f"Bearer {body['access_token']}"}
    )
    assert info.json() == {"sub": "sub-alice", "name": "Name of sub-alice"}


def test_redirect_carries_state_and_issuer(idp: Idp) -> None:
    client = idp.register()
    _, challenge = pkce_pair()
    idp.login(client.client.client_id)  # establishes a session
    response = idp.authorize(client.client.client_id, code_challenge=challenge)
    params = query_of(response.headers["location"])
    assert params["state"] == "st-1" and params["iss"] == idp.issuer and params["code"]


def test_reused_code_is_refused_and_revokes_its_tokens(idp: Idp) -> None:
    client = idp.register()
    code, verifier = idp.login(client.client.client_id)
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": REDIRECT,
        "code_verifier": verifier,
    }
    first = idp.token(client, **form).json()
    second = idp.token(client, **form)
    assert second.status_code == 400 and second.json()["error"] == "invalid_grant"
    for token in (first["access_token"], first["refresh_token"]):
        state = idp.http.post(
            "/idp/introspect",
            data={"token": token},
            auth=(client.client.client_id, client.secret or ""),
        )
        assert state.json() == {"active": False}
    refreshed = idp.token(client, grant_type="refresh_token", refresh_token=first["refresh_token"])
    assert refreshed.json()["error"] == "invalid_grant"


def test_wrong_pkce_verifier_is_refused_and_burns_the_code(idp: Idp) -> None:
    client = idp.register()
    code, verifier = idp.login(client.client.client_id)
    wrong = idp.token(
        client,
        grant_type="authorization_code",
        code=code,
        redirect_uri=REDIRECT,
        code_verifier=pkce_pair()[0],
    )
    assert wrong.json()["error"] == "invalid_grant"
    right = idp.token(
        client,
        grant_type="authorization_code",
        code=code,
        redirect_uri=REDIRECT,
        code_verifier=verifier,
    )
    assert right.json()["error"] == "invalid_grant"


def test_missing_verifier_and_wrong_redirect_at_token_endpoint(idp: Idp) -> None:
    client = idp.register()
    code, _ = idp.login(client.client.client_id)
    response = idp.token(client, grant_type="authorization_code", code=code, redirect_uri=REDIRECT)
    assert response.json()["error"] == "invalid_grant"
    code, verifier = idp.login(client.client.client_id)
    response = idp.token(
        client,
        grant_type="authorization_code",
        code=code,
        redirect_uri=REDIRECT + "/other",
        code_verifier=verifier,
    )
    assert response.json()["error"] == "invalid_grant"


def test_expired_code_is_refused(idp: Idp) -> None:
    client = idp.register()
    code, verifier = idp.login(client.client.client_id)
    idp.clock.advance(61)
    response = idp.token(
        client,
        grant_type="authorization_code",
        code=code,
        redirect_uri=REDIRECT,
        code_verifier=verifier,
    )
    assert response.json()["error"] == "invalid_grant"


def test_missing_or_plain_pkce_is_refused_by_redirect(idp: Idp) -> None:
    client = idp.register()
    missing = idp.authorize(client.client.client_id)
    assert query_of(missing.headers["location"])["error"] == "invalid_request"
    plain = idp.authorize(
        client.client.client_id, code_challenge="x" * 43, code_challenge_method="plain"
    )
    params = query_of(plain.headers["location"])
    assert params["error"] == "invalid_request" and params["state"] == "st-1"


def test_unregistered_redirect_uri_is_never_redirected_to(idp: Idp) -> None:
    client = idp.register()
    _, challenge = pkce_pair()
    for uri in (
        REDIRECT + "/x",
        REDIRECT + "?a=1",
        "https://rp.example/",
        "https://evil.example/callback",
    ):
        response = idp.authorize(
            client.client.client_id, code_challenge=challenge, redirect_uri=uri
        )
        assert response.status_code == 400 and "location" not in response.headers
    response = idp.authorize("no-such-client", code_challenge=challenge)
    assert response.status_code == 400 and "location" not in response.headers


def test_prompt_none_without_session_returns_login_required(idp: Idp) -> None:
    client = idp.register()
    _, challenge = pkce_pair()
    response = idp.authorize(client.client.client_id, code_challenge=challenge, prompt="none")
    params = query_of(response.headers["location"])
    assert response.headers["location"].startswith(REDIRECT)
    assert params["error"] == "login_required" and params["state"] == "st-1"


def test_prompt_none_with_session_issues_code_silently(idp: Idp) -> None:
    client = idp.register()
    idp.login(client.client.client_id)
    _, challenge = pkce_pair()
    response = idp.authorize(client.client.client_id, code_challenge=challenge, prompt="none")
    assert "code" in query_of(response.headers["location"])


def test_max_age_and_prompt_login_force_a_new_login(idp: Idp) -> None:
    client = idp.register()
    idp.login(client.client.client_id)
    _, challenge = pkce_pair()
    fresh = idp.authorize(client.client.client_id, code_challenge=challenge, max_age="300")
    assert "code" in query_of(fresh.headers["location"])
    idp.clock.advance(301)
    stale = idp.authorize(client.client.client_id, code_challenge=challenge, max_age="300")
    assert "/idp/login?ix=" in stale.headers["location"]
    forced = idp.authorize(client.client.client_id, code_challenge=challenge, prompt="login")
    assert "/idp/login?ix=" in forced.headers["location"]
    calls = len(idp.authenticator.calls)
    idp.login(client.client.client_id, prompt="login")
    assert len(idp.authenticator.calls) == calls + 1


def test_acr_step_up_asks_for_the_second_factor(idp: Idp) -> None:
    client = idp.register()
    idp.login(client.client.client_id)
    _, challenge = pkce_pair()
    step_up = idp.authorize(
        client.client.client_id, code_challenge=challenge, acr_values=acr.SUBSTANTIAL
    )
    assert "/idp/login/code?ix=" in step_up.headers["location"]
    page_html = idp.http.get(step_up.headers["location"]).text
    wrong = idp.submit("/login/code", page_html, code="000000")
    assert wrong.status_code == 401
    code, verifier = idp.login(client.client.client_id, acr_values=acr.SUBSTANTIAL)
    body = idp.token(
        client,
        grant_type="authorization_code",
        code=code,
        redirect_uri=REDIRECT,
        code_verifier=verifier,
    ).json()
    keys = KeySet.import_key_set(idp.http.get("/idp/jwks").json())
    claims = jwt.decode(body["id_token"], keys, algorithms=["ES256"]).claims
    assert claims["acr"] == acr.SUBSTANTIAL and "otp" in claims["amr"]


def test_prompt_none_with_insufficient_acr_is_refused(idp: Idp) -> None:
    client = idp.register()
    idp.login(client.client.client_id)
    _, challenge = pkce_pair()
    response = idp.authorize(
        client.client.client_id, code_challenge=challenge, prompt="none", acr_values=acr.HIGH
    )
    assert query_of(response.headers["location"])["error"] == "login_required"


def test_login_form_without_csrf_token_is_refused(idp: Idp) -> None:
    client = idp.register()
    _, challenge = pkce_pair()
    location = idp.authorize(client.client.client_id, code_challenge=challenge).headers["location"]
    page_html = idp.http.get(location).text
    forged = idp.submit("/login", page_html, login="alice", password="x", csrf="forged")
    assert forged.status_code == 400 and "alice" not in idp.authenticator.calls[-1:]


def test_wrong_password_shows_the_form_again(idp: Idp) -> None:
    client = idp.register()
    _, challenge = pkce_pair()
    location = idp.authorize(client.client.client_id, code_challenge=challenge).headers["location"]
    page_html = idp.http.get(location).text
    response = idp.submit("/login", page_html, login="alice", password="wrong")
    assert response.status_code == 401 and LO["invalid_credentials"] in response.text


def test_rs256_client_gets_rs256_id_token(idp: Idp) -> None:
    client = idp.register(id_token_alg="RS256")
    code, verifier = idp.login(client.client.client_id)
    body = idp.token(
        client,
        grant_type="authorization_code",
        code=code,
        redirect_uri=REDIRECT,
        code_verifier=verifier,
    ).json()
    keys = KeySet.import_key_set(idp.http.get("/idp/jwks").json())
    decoded = jwt.decode(body["id_token"], keys, algorithms=["RS256"])
    assert decoded.header["alg"] == "RS256"
