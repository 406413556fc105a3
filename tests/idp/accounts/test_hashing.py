"""argon2id at production parameters, NFKC, and rehashing when the parameters change."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from idp.accounts.errors import InvalidCredentialsError
from idp.accounts.hashing import DEFAULT_HASHER, Argon2Parameters, PasswordHasher
from idp.accounts.login import authenticate_password
from tests.idp.accounts.support import CHEAP_HASHER, NOW, PASSWORD, account


def test_production_hash_is_argon2id_with_owasp_parameters() -> None:
    stored = DEFAULT_HASHER.hash(PASSWORD)
    assert stored.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    DEFAULT_HASHER.verify(stored, PASSWORD)
    with pytest.raises(InvalidCredentialsError):
        DEFAULT_HASHER.verify(stored, PASSWORD + " ")
    assert not DEFAULT_HASHER.needs_rehash(stored)


def test_same_password_typed_in_another_unicode_form_verifies() -> None:
    # Full-width letters and the "fi" ligature, as some input methods produce them.
    stored = CHEAP_HASHER.hash("\uff52\uff49\uff56\uff45\uff52 boat \ufb01ne day")
    CHEAP_HASHER.verify(stored, "river boat fine day")


def test_garbage_hash_fails_closed() -> None:
    with pytest.raises(InvalidCredentialsError):
        CHEAP_HASHER.verify("not a hash", PASSWORD)
    assert CHEAP_HASHER.needs_rehash("not a hash")


def test_login_rehashes_when_parameters_change(db_session: Session) -> None:
    user = account(db_session, login="rehash.me")
    old_hash = user.password_hash
    assert old_hash is not None and "m=8,t=1" in old_hash
    stronger = PasswordHasher(Argon2Parameters(memory_kib=16, iterations=2, parallelism=1))
    authenticate_password(
        db_session, login="rehash.me", password=PASSWORD, source="192.0.2.1", now=NOW,
        hasher=stronger,
    )
    db_session.refresh(user)
    assert user.password_hash is not None and "m=16,t=2" in user.password_hash
    stronger.verify(user.password_hash, PASSWORD)
    # The wrong password never triggers a rehash.
    with pytest.raises(InvalidCredentialsError):
        authenticate_password(
            db_session, login="rehash.me", password="wrong", source="192.0.2.1", now=NOW,
            hasher=CHEAP_HASHER,
        )
    db_session.refresh(user)
    assert "m=16,t=2" in (user.password_hash or "")
