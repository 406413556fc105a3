"""Introspection answers only the token's own client or a resource server allowed for it.

From the attacker's side (RFC 7662 4): a registered client that holds another client's token
must not learn that it is active, nor whose it is.
"""

from __future__ import annotations

from typing import Any

import pytest

from idp.oidc.clients import InvalidClientMetadataError, RegisteredClient
from tests.idp.oidc.conftest import REDIRECT, Idp

INACTIVE = {"active": False}


def _tokens(idp: Idp, client: RegisteredClient) -> dict[str, Any]:
    code, verifier = idp.login(client.client.client_id)
    response = idp.token(client, grant_type="authorization_code", code=code,
                         redirect_uri=REDIRECT, code_verifier=verifier)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _introspect(idp: Idp, caller: RegisteredClient, token: str) -> dict[str, Any]:
    response = idp.http.post("/idp/introspect", data={"token": token},
                             auth=(caller.client.client_id, caller.secret or ""))
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    body: dict[str, Any] = response.json()
    return body


def _resource_server(idp: Idp, *owners: str) -> RegisteredClient:
    return idp.register(grant_types=["client_credentials"], scopes=["registry.read"],
                        redirect_uris=[], post_logout_redirect_uris=[],
                        introspects_for=list(owners))


def test_another_client_learns_nothing_about_my_access_token(idp: Idp) -> None:
    owner, thief = idp.register(), idp.register()
    tokens = _tokens(idp, owner)
    assert _introspect(idp, thief, tokens["access_token"]) == INACTIVE
    assert _introspect(idp, thief, tokens["refresh_token"]) == INACTIVE
    assert _introspect(idp, owner, tokens["access_token"])["active"] is True


def test_a_ministrys_client_credentials_token_is_hidden_from_other_ministries(
    idp: Idp,
) -> None:
    health, tax = _resource_server(idp), _resource_server(idp)
    issued = idp.token(health, grant_type="client_credentials")
    assert issued.status_code == 200, issued.text
    access = issued.json()["access_token"]
    assert _introspect(idp, tax, access) == INACTIVE
    mine = _introspect(idp, health, access)
    assert mine["active"] is True and mine["client_id"] == health.client.client_id


def test_allowed_resource_server_sees_access_tokens_but_never_refresh_tokens(idp: Idp) -> None:
    owner = idp.register()
    api = _resource_server(idp, owner.client.client_id)
    tokens = _tokens(idp, owner)
    state = _introspect(idp, api, tokens["access_token"])
    assert state["active"] is True
    assert (state["sub"], state["client_id"]) == ("sub-alice", owner.client.client_id)
    assert _introspect(idp, api, tokens["refresh_token"]) == INACTIVE


def test_resource_server_allowed_for_one_client_sees_nothing_of_another(idp: Idp) -> None:
    allowed, other = idp.register(), idp.register()
    api = _resource_server(idp, allowed.client.client_id)
    tokens = _tokens(idp, other)
    assert _introspect(idp, api, tokens["access_token"]) == INACTIVE


def test_revoked_token_is_inactive_for_the_allowed_resource_server_too(idp: Idp) -> None:
    owner = idp.register()
    api = _resource_server(idp, owner.client.client_id)
    tokens = _tokens(idp, owner)
    idp.http.post("/idp/revoke", data={"token": tokens["refresh_token"]},
                  auth=(owner.client.client_id, owner.secret or ""))
    assert _introspect(idp, api, tokens["access_token"]) == INACTIVE


def test_a_resource_server_cannot_revoke_the_tokens_it_may_introspect(idp: Idp) -> None:
    owner = idp.register()
    api = _resource_server(idp, owner.client.client_id)
    tokens = _tokens(idp, owner)
    idp.http.post("/idp/revoke", data={"token": tokens["access_token"]},
                  auth=(api.client.client_id, api.secret or ""))
    assert _introspect(idp, owner, tokens["access_token"])["active"] is True


@pytest.mark.parametrize("bad", ["", "x" * 65])
def test_introspects_for_must_list_client_ids(idp: Idp, bad: str) -> None:
    with pytest.raises(InvalidClientMetadataError):
        _resource_server(idp, bad)
