"""The token endpoint's shortcuts keep their guarantees: replay cache and active-key cache."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from idp.oidc.jose import JwtRejectedError, parse_key_set
from idp.oidc.keystore import ACTIVE_KEY_TTL, KeyStore
from idp.oidc.models import SigningKey, UsedAssertion
from idp.oidc.replay import ReplayCache, ReplayedError, consume_jti


def test_a_jti_is_accepted_once_while_its_assertion_lives(db_session: Session) -> None:
    consume_jti(db_session, client_id="c1", jti="j1", expires_at=1100, now=1000)
    with pytest.raises(ReplayedError):
        consume_jti(db_session, client_id="c1", jti="j1", expires_at=1200, now=1050)
    with pytest.raises(ReplayedError):
        consume_jti(db_session, client_id="c1", jti="j1", expires_at=1200, now=1100)
    consume_jti(db_session, client_id="c2", jti="j1", expires_at=1100, now=1000)  # per client


def test_an_expired_row_not_yet_purged_does_not_block_a_new_assertion(db_session: Session) -> None:
    consume_jti(db_session, client_id="c1", jti="j1", expires_at=1100, now=1000)
    consume_jti(db_session, client_id="c1", jti="j1", expires_at=1300, now=1101)
    with pytest.raises(ReplayedError):  # and the renewed row guards the new assertion
        consume_jti(db_session, client_id="c1", jti="j1", expires_at=1300, now=1200)


def test_expired_rows_are_purged_at_most_once_per_interval(db_session: Session) -> None:
    db_session.execute(delete(UsedAssertion))
    cache = ReplayCache(purge_interval=60)

    def rows() -> int:
        return db_session.scalar(select(func.count()).select_from(UsedAssertion)) or 0

    cache.consume(db_session, client_id="c", jti="a", expires_at=1010, now=1000)
    cache.consume(db_session, client_id="c", jti="b", expires_at=1100, now=1020)
    assert rows() == 2  # "a" expired at 1010 but the next purge is due at 1060
    cache.consume(db_session, client_id="c", jti="c", expires_at=1200, now=1060)
    assert rows() == 2  # "a" purged, "c" added
    with pytest.raises(ReplayedError):
        cache.consume(db_session, client_id="c", jti="b", expires_at=1200, now=1061)


def test_a_replica_follows_a_rotation_elsewhere_within_the_ttl(db_session: Session) -> None:
    db_session.execute(delete(SigningKey))
    this, other = (KeyStore(b"passphrase", publish_after_retirement=100) for _ in range(2))
    first = this.signing_key(db_session, alg="ES256", now=1000)["kid"]
    other.rotate(db_session, now=1001)
    assert this.signing_key(db_session, alg="ES256", now=1002)["kid"] == first
    later = this.signing_key(db_session, alg="ES256", now=1000 + ACTIVE_KEY_TTL)["kid"]
    assert later != first
    assert later == other.signing_key(db_session, alg="ES256", now=1010)["kid"]
    assert ACTIVE_KEY_TTL < 30  # below the leeway the JWKS grace period adds


def test_a_clock_set_back_does_not_pin_the_cached_key(db_session: Session) -> None:
    db_session.execute(delete(SigningKey))
    this, other = (KeyStore(b"passphrase", publish_after_retirement=100) for _ in range(2))
    first = this.signing_key(db_session, alg="ES256", now=5000)["kid"]
    other.rotate(db_session, now=5001)
    assert this.signing_key(db_session, alg="ES256", now=4000)["kid"] != first


def test_cached_key_sets_are_still_checked() -> None:
    with pytest.raises(JwtRejectedError):
        parse_key_set({"keys": []})
    with pytest.raises(JwtRejectedError):
        parse_key_set({"keys": [{"kty": "EC", "crv": "P-256", "x": "AA", "y": "AA"}]})
    with pytest.raises(JwtRejectedError):
        parse_key_set({"nokeys": 1})
