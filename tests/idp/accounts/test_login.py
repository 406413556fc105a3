"""Password login from the attacker's side: guessing, throttling, lockout, probing for logins."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from idp.accounts import throttle
from idp.accounts.errors import (
    AccountLockedError,
    InvalidCredentialsError,
    NotPermittedError,
    TooManyAttemptsError,
)
from idp.accounts.hashing import PasswordHasher
from idp.accounts.login import authenticate_password
from idp.accounts.models import Throttle
from idp.accounts.rights import AccountKind
from idp.accounts.service import reset_lockout
from idp.accounts.throttle import ThrottlePolicy
from tests.idp.accounts.support import CHEAP_HASHER, NOW, PASSWORD, account, officer

SOURCE = "198.51.100.7"


def attempt(session: Session, login: str, password: str, **kw: object) -> None:
    options: dict[str, object] = {"source": SOURCE, "now": NOW, "hasher": CHEAP_HASHER} | kw
    authenticate_password(session, login=login, password=password, **options)  # type: ignore[arg-type]


def test_right_password_logs_in_and_wrong_one_is_refused(db_session: Session) -> None:
    user = account(db_session, login="noy.s")
    verified = authenticate_password(
        db_session, login="  NOY.S ", password=PASSWORD, source=SOURCE, now=NOW,
        hasher=CHEAP_HASHER,
    )
    assert (verified.account_id, verified.subject) == (user.id, user.subject)
    with pytest.raises(InvalidCredentialsError) as caught:
        attempt(db_session, "noy.s", PASSWORD.upper())
    assert caught.value.code == "invalid_credentials" and caught.value.http_status == 401


@dataclass
class SpyHasher(PasswordHasher):
    dummy_calls: list[str] = field(default_factory=list)

    def dummy_verify(self, password: str) -> None:
        self.dummy_calls.append(password)
        super().dummy_verify(password)


def test_unknown_login_costs_a_dummy_hash_and_gives_the_same_error(db_session: Session) -> None:
    spy = SpyHasher(CHEAP_HASHER.parameters)
    with pytest.raises(InvalidCredentialsError) as unknown:
        attempt(db_session, "nobody.here", "whatever123", hasher=spy)
    assert spy.dummy_calls == ["whatever123"]
    account(db_session, login="somebody")
    with pytest.raises(InvalidCredentialsError) as known:
        attempt(db_session, "somebody", "whatever123", hasher=spy)
    assert unknown.value.message == known.value.message
    assert spy.dummy_calls == ["whatever123"]


def test_disabled_account_cannot_log_in(db_session: Session) -> None:
    user = account(db_session, login="gone.away")
    user.active = False
    with pytest.raises(InvalidCredentialsError):
        attempt(db_session, "gone.away", PASSWORD)


def test_brute_force_is_slowed_down_after_five_failures(db_session: Session) -> None:
    account(db_session, login="target")
    for _ in range(5):
        with pytest.raises(InvalidCredentialsError):
            attempt(db_session, "target", "guess-guess")
    # Even the right password is not checked while the delay runs.
    with pytest.raises(TooManyAttemptsError) as caught:
        attempt(db_session, "target", PASSWORD, now=NOW + timedelta(seconds=10))
    assert caught.value.code == "too_many_attempts" and caught.value.retry_after == 20
    assert caught.value.to_body()["error"]["retry_after"] == "20"
    later = NOW + timedelta(seconds=30)
    with pytest.raises(InvalidCredentialsError):
        attempt(db_session, "target", "guess-again", now=later)
    with pytest.raises(TooManyAttemptsError) as doubled:
        attempt(db_session, "target", PASSWORD, now=later + timedelta(seconds=1))
    assert doubled.value.retry_after == 59
    attempt(db_session, "target", PASSWORD, now=later + timedelta(seconds=60))


def test_lockout_at_one_hundred_failures_needs_an_officer(db_session: Session) -> None:
    user = account(db_session, login="victim")
    policy = ThrottlePolicy(source_failures=1000)
    now = NOW
    raised: list[str] = []
    for _ in range(100):
        try:
            attempt(db_session, "victim", "not-it-at-all", now=now, policy=policy)
        except (InvalidCredentialsError, AccountLockedError) as exc:
            raised.append(exc.code)
        now += timedelta(seconds=policy.max_delay)
    assert raised[-1] == "account_locked" and set(raised[:-1]) == {"invalid_credentials"}
    with pytest.raises(AccountLockedError):
        attempt(db_session, "victim", PASSWORD, now=now + timedelta(days=30), policy=policy)
    citizen = account(db_session, login="other.citizen")
    with pytest.raises(NotPermittedError):
        reset_lockout(db_session, login="victim", actor=citizen)
    reset_lockout(db_session, login="victim", actor=officer(db_session))
    verified = authenticate_password(
        db_session, login="victim", password=PASSWORD, source=SOURCE, now=now,
        hasher=CHEAP_HASHER, policy=policy,
    )
    assert verified.account_id == user.id


def test_unknown_logins_are_throttled_like_real_ones(db_session: Session) -> None:
    account(db_session, login="real.one")
    codes: dict[str, list[str]] = {"real.one": [], "ghost.one": []}
    for login, seen in codes.items():
        for _ in range(7):
            try:
                attempt(db_session, login, "not-the-password")
            except (InvalidCredentialsError, TooManyAttemptsError) as exc:
                seen.append(exc.code)
    assert codes["real.one"] == codes["ghost.one"]
    assert codes["ghost.one"][-1] == "too_many_attempts"


def test_one_source_guessing_many_logins_is_stopped(db_session: Session) -> None:
    policy = ThrottlePolicy(source_failures=10, source_window=600)
    account(db_session, login="spray.target")
    for index in range(10):
        with pytest.raises(InvalidCredentialsError):
            attempt(db_session, f"user{index}", "Summer2026!", policy=policy)
    with pytest.raises(TooManyAttemptsError) as caught:
        attempt(db_session, "spray.target", PASSWORD, policy=policy,
                now=NOW + timedelta(seconds=100))
    assert caught.value.retry_after == 500
    # Another address is not affected, and the window ends.
    attempt(db_session, "spray.target", PASSWORD, policy=policy, source="203.0.113.9")
    attempt(db_session, "spray.target", PASSWORD, policy=policy,
            now=NOW + timedelta(seconds=600))


def test_ipv6_sources_share_a_counter_per_64_prefix() -> None:
    assert throttle.source_key("2001:db8:1:2::1") == throttle.source_key("2001:db8:1:2:ffff::9")
    assert throttle.source_key("2001:db8:1:3::1") != throttle.source_key("2001:db8:1:2::1")
    assert throttle.source_key("::ffff:192.0.2.1") == "192.0.2.1"
    assert throttle.source_key("garbage") == "unparsable"


def test_counters_live_in_the_database(db_session: Session) -> None:
    with pytest.raises(InvalidCredentialsError):
        attempt(db_session, "Replica.Test", "nope-nope")
    rows = db_session.execute(select(Throttle.scope, Throttle.key, Throttle.failures)).all()
    assert ("login", "replica.test", 1) in [tuple(row) for row in rows]
    assert ("source", SOURCE, 1) in [tuple(row) for row in rows]


def test_staff_kinds_exist(db_session: Session) -> None:
    dpo = account(db_session, login="dpo.one", kind=AccountKind.DATA_PROTECTION_OFFICER)
    assert dpo.kind == "data_protection_officer" and dpo.centre_id is None
