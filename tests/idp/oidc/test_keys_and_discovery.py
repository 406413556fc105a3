"""Discovery metadata, JWKS publication and rotation, sealed private keys."""

from __future__ import annotations

import pytest
from sqlalchemy import delete
from sqlalchemy.orm import Session

from idp.oidc.keystore import KeyStore
from idp.oidc.models import SigningKey
from onedoor.errors import ConfigurationError
from tests.idp.oidc.conftest import Idp


def test_discovery_document_names_every_endpoint(idp: Idp) -> None:
    document = idp.http.get("/idp/.well-known/openid-configuration").json()
    assert document["issuer"] == "http://testserver/idp"
    for name, path in (
        ("authorization_endpoint", "/authorize"),
        ("token_endpoint", "/token"),
        ("userinfo_endpoint", "/userinfo"),
        ("jwks_uri", "/jwks"),
        ("end_session_endpoint", "/logout"),
        ("introspection_endpoint", "/introspect"),
        ("revocation_endpoint", "/revoke"),
    ):
        assert document[name] == document["issuer"] + path
    assert document["code_challenge_methods_supported"] == ["S256"]
    assert document["response_types_supported"] == ["code"]
    assert set(document["token_endpoint_auth_methods_supported"]) == {
        "private_key_jwt",
        "client_secret_basic",
    }
    assert "http://eidas.europa.eu/LoA/substantial" in document["acr_values_supported"]
    assert "none" not in document["id_token_signing_alg_values_supported"]


def test_jwks_publishes_only_public_keys(idp: Idp) -> None:
    keys = idp.http.get("/idp/jwks").json()["keys"]
    assert {key["alg"] for key in keys} >= {"ES256", "RS256"}
    assert all("d" not in key and "p" not in key for key in keys)


def _store(session: Session) -> KeyStore:
    session.execute(delete(SigningKey))  # rolled back after the test
    return KeyStore(b"passphrase", publish_after_retirement=100)


def test_rotation_keeps_old_keys_published_until_their_tokens_expire(db_session: Session) -> None:
    store = _store(db_session)
    store.ensure(db_session, now=1000)
    before = {key["kid"] for key in store.published(db_session, now=1000)}
    store.rotate(db_session, now=2000)
    during = {key["kid"] for key in store.published(db_session, now=2099)}
    after = {key["kid"] for key in store.published(db_session, now=2100)}
    assert before < during and len(during) == 4
    assert after == during - before and len(after) == 2
    assert store.signing_key(db_session, alg="ES256", now=2100)["kid"] in after


def test_private_keys_are_sealed_and_need_the_passphrase(db_session: Session) -> None:
    _store(db_session).ensure(db_session, now=1000)
    row = db_session.query(SigningKey).filter_by(alg="ES256").one()
    assert b'"d"' not in row.sealed_private
    with pytest.raises(ConfigurationError):
        KeyStore(b"wrong", publish_after_retirement=1).signing_key(
            db_session, alg="ES256", now=1000
        )
    fresh = KeyStore(b"passphrase", publish_after_retirement=1).signing_key(
        db_session, alg="ES256", now=1000
    )
    assert fresh["kid"] == row.kid and "d" in fresh
