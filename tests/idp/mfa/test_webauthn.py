"""WebAuthn as the second factor, from the user's side and from the attacker's side."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from sqlalchemy import select
from sqlalchemy.orm import Session

from idp.accounts.authn import AuthenticationResult, PasswordVerified
from idp.accounts.errors import (
    InvalidCredentialsError,
    NotPermittedError,
    TooManyAttemptsError,
)
from idp.accounts.levels import AssuranceLevel
from idp.accounts.login import authenticate_password
from idp.accounts.models import Account, Throttle
from idp.accounts.throttle import LOGIN
from idp.mfa.errors import NoSecurityKeyError, SecurityKeyRefusedError, UnknownChallengeError
from idp.mfa.keys import MfaKeys
from idp.mfa.login import SecondFactor, verify_second_factor
from idp.mfa.models import WebAuthnChallenge, WebAuthnCredential
from idp.mfa.service import enrolled_factors
from idp.mfa.webauthn import (
    begin_webauthn_authentication,
    begin_webauthn_registration,
    check_relying_party,
    finish_webauthn_registration,
)
from onedoor.errors import InvalidRequestError
from tests.idp.accounts.support import CHEAP_HASHER, NOW, PASSWORD, account, officer
from tests.idp.mfa.webauthn_authenticator import UV, SoftwareAuthenticator, b64url

RP_ID = "idp.onedoor.test"
ORIGIN = "https://idp.onedoor.test"
KEYS = MfaKeys.generate()
SOURCE = "198.51.100.7"


def new_key(**kw: object) -> SoftwareAuthenticator:
    return SoftwareAuthenticator(rp_id=RP_ID, origin=ORIGIN, **kw)  # type: ignore[arg-type]


def register(
    session: Session, user: Account, key: SoftwareAuthenticator, now: datetime = NOW
) -> str:
    options = begin_webauthn_registration(
        session, account_id=user.id, rp_id=RP_ID, rp_name="OneDoor", origin=ORIGIN, now=now
    )
    return finish_webauthn_registration(
        session, account_id=user.id, credential_json=key.create(options), origin=ORIGIN,
        rp_id=RP_ID, now=now,
    )


def password_step(session: Session, user: Account, now: datetime = NOW) -> PasswordVerified:
    return authenticate_password(
        session, login=user.login, password=PASSWORD, source=SOURCE, now=now,
        hasher=CHEAP_HASHER,
    )


def begin_login(session: Session, user: Account, now: datetime = NOW) -> tuple[
    PasswordVerified, str
]:
    first = password_step(session, user, now)
    return first, begin_webauthn_authentication(session, first=first, rp_id=RP_ID, now=now)


def finish_login(
    session: Session, first: PasswordVerified, assertion: str, now: datetime = NOW
) -> AuthenticationResult:
    return verify_second_factor(
        session, first=first, factor=SecondFactor.WEBAUTHN, code=assertion, source=SOURCE,
        keys=KEYS, now=now, rp_id=RP_ID, origin=ORIGIN,
    )


def login(
    session: Session, user: Account, key: SoftwareAuthenticator, now: datetime = NOW
) -> AuthenticationResult:
    first, options = begin_login(session, user, now)
    return finish_login(session, first, key.get(options), now)


def stored(session: Session, key: SoftwareAuthenticator) -> WebAuthnCredential:
    return session.execute(
        select(WebAuthnCredential)
        .where(WebAuthnCredential.credential_id == key.credential_id)
        .execution_options(populate_existing=True)
    ).scalar_one()


def failures(session: Session, user: Account) -> int:
    row = session.execute(
        select(Throttle.failures)
        .where(Throttle.scope == LOGIN, Throttle.key == user.login)
    ).scalar_one_or_none()
    return row or 0


def test_officer_registers_a_security_key_and_logs_in_with_it(db_session: Session) -> None:
    clerk = officer(db_session)
    key = new_key()
    options = json.loads(begin_webauthn_registration(
        db_session, account_id=clerk.id, rp_id=RP_ID, rp_name="OneDoor", origin=ORIGIN, now=NOW
    ))
    assert options["rp"] == {"id": RP_ID, "name": "OneDoor"}
    assert [param["alg"] for param in options["pubKeyCredParams"]] == [-7, -257]
    assert options["attestation"] == "none" and options["excludeCredentials"] == []
    assert options["authenticatorSelection"]["userVerification"] == "preferred"
    credential_id = finish_webauthn_registration(
        db_session, account_id=clerk.id, credential_json=key.create(json.dumps(options)),
        origin=ORIGIN, rp_id=RP_ID, now=NOW,
    )
    assert credential_id == b64url(key.credential_id)
    record = stored(db_session, key)
    assert (record.account_id, record.sign_count, record.transports) == (clerk.id, 0, "nfc,usb")
    assert record.aaguid == "6f6e6564-6f6f-722d-7465-73742d6b6579" and record.hardware
    assert enrolled_factors(db_session, account=clerk) == {"webauthn"}

    later = NOW + timedelta(minutes=30)
    first, request = begin_login(db_session, clerk, later)
    allowed = json.loads(request)["allowCredentials"]
    assert [entry["id"] for entry in allowed] == [credential_id]
    result = finish_login(db_session, first, key.get(request), later)
    assert (result.account_id, result.subject, result.auth_time) == (
        clerk.id, clerk.subject, later
    )
    assert result.amr == ("pwd", "hwk", "mfa")
    assert result.acr is AssuranceLevel.SUBSTANTIAL  # staff proofing caps the level
    login(db_session, clerk, key, later + timedelta(hours=1))
    record = stored(db_session, key)
    assert record.sign_count == 2 and record.last_used_at == later + timedelta(hours=1)


def test_synced_rs256_passkey_of_a_citizen_proofed_high_gives_acr_high(
    db_session: Session,
) -> None:
    citizen = account(db_session, login="high.citizen", level=AssuranceLevel.HIGH)
    key = new_key(key=rsa.generate_private_key(public_exponent=65537, key_size=2048),
                  backup_eligible=True, transports=("hybrid", "internal"))
    register(db_session, citizen, key)
    assert not stored(db_session, key).hardware
    result = login(db_session, citizen, key)
    assert result.amr == ("pwd", "swk", "mfa") and result.acr is AssuranceLevel.HIGH


def test_authenticator_without_a_counter_may_keep_reporting_zero(db_session: Session) -> None:
    citizen = account(db_session, login="no.counter")
    key = new_key()
    register(db_session, citizen, key)
    for minute in (1, 2):
        first, options = begin_login(db_session, citizen, NOW + timedelta(minutes=minute))
        finish_login(db_session, first, key.get(options, count=0), NOW + timedelta(minutes=minute))
    assert stored(db_session, key).sign_count == 0


def test_a_key_is_registered_once_and_excluded_from_later_registrations(
    db_session: Session,
) -> None:
    clerk = officer(db_session)
    key = new_key()
    register(db_session, clerk, key)
    options = begin_webauthn_registration(
        db_session, account_id=clerk.id, rp_id=RP_ID, rp_name="OneDoor", origin=ORIGIN, now=NOW
    )
    excluded = json.loads(options)["excludeCredentials"]
    assert excluded == [{"id": b64url(key.credential_id), "type": "public-key",
                         "transports": ["nfc", "usb"]}]
    with pytest.raises(SecurityKeyRefusedError):  # a browser that ignores excludeCredentials
        finish_webauthn_registration(
            db_session, account_id=clerk.id, credential_json=key.create(options),
            origin=ORIGIN, rp_id=RP_ID, now=NOW,
        )
    thief = account(db_session, login="key.thief")
    with pytest.raises(SecurityKeyRefusedError):  # the same credential for another account
        register(db_session, thief, key)
    assert enrolled_factors(db_session, account=thief) == frozenset()


@dataclass(frozen=True)
class Forgery:
    """How an attacker alters a registration: the options it answers, then the response."""

    answer: Callable[[SoftwareAuthenticator, str], str]
    error: type[Exception] = SecurityKeyRefusedError
    later: timedelta = timedelta(0)


REGISTRATION_FORGERIES = {
    "wrong origin": Forgery(lambda key, o: key.create(o, origin="https://idp.onedoor.test.evil")),
    "wrong rp id": Forgery(lambda key, o: key.create(o, rp_id="evil.test")),
    "no user presence": Forgery(lambda key, o: key.create(o, flags=UV)),
    "assertion type": Forgery(lambda key, o: key.create(o, client_type="webauthn.get")),
    "expired challenge": Forgery(lambda key, o: key.create(o), UnknownChallengeError,
                                 timedelta(minutes=5)),
    "unknown challenge": Forgery(
        lambda key, o: key.create(json.dumps({"challenge": b64url(b"x" * 32)})),
        UnknownChallengeError,
    ),
    "not json": Forgery(lambda key, o: "{not json"),
}


@pytest.mark.parametrize("forgery", REGISTRATION_FORGERIES.values(), ids=REGISTRATION_FORGERIES)
def test_forged_registrations_are_refused_and_store_nothing(
    db_session: Session, forgery: Forgery
) -> None:
    clerk = officer(db_session)
    key = new_key()
    options = begin_webauthn_registration(
        db_session, account_id=clerk.id, rp_id=RP_ID, rp_name="OneDoor", origin=ORIGIN, now=NOW
    )
    with pytest.raises(forgery.error):
        finish_webauthn_registration(
            db_session, account_id=clerk.id, credential_json=forgery.answer(key, options),
            origin=ORIGIN, rp_id=RP_ID, now=NOW + forgery.later,
        )
    assert enrolled_factors(db_session, account=clerk) == frozenset()


def test_registration_response_cannot_be_replayed_or_used_by_another_account(
    db_session: Session,
) -> None:
    clerk = officer(db_session)
    other = account(db_session, login="other.user")
    key = new_key()
    options = begin_webauthn_registration(
        db_session, account_id=clerk.id, rp_id=RP_ID, rp_name="OneDoor", origin=ORIGIN, now=NOW
    )
    response = key.create(options)
    with pytest.raises(UnknownChallengeError):  # the challenge was issued to the officer
        finish_webauthn_registration(db_session, account_id=other.id, credential_json=response,
                                     origin=ORIGIN, rp_id=RP_ID, now=NOW)
    finish_webauthn_registration(db_session, account_id=clerk.id, credential_json=response,
                                 origin=ORIGIN, rp_id=RP_ID, now=NOW)
    with pytest.raises(UnknownChallengeError):
        finish_webauthn_registration(db_session, account_id=clerk.id, credential_json=response,
                                     origin=ORIGIN, rp_id=RP_ID, now=NOW)


@dataclass
class Scene:
    session: Session
    victim: Account
    key: SoftwareAuthenticator
    other: Account
    other_key: SoftwareAuthenticator


def forge_with_other_accounts_challenge(scene: Scene, options: str) -> str:
    other_first = password_step(scene.session, scene.other)
    theirs = begin_webauthn_authentication(scene.session, first=other_first, rp_id=RP_ID,
                                           now=NOW)
    return scene.key.get(theirs)


def replay(scene: Scene, options: str) -> str:
    assertion = scene.key.get(options)
    finish_login(scene.session, password_step(scene.session, scene.victim), assertion)
    return assertion


ASSERTION_FORGERIES: dict[str, Callable[[Scene, str], str]] = {
    "wrong origin": lambda s, o: s.key.get(o, origin="https://phish.example"),
    "wrong rp id": lambda s, o: s.key.get(o, rp_id="phish.example"),
    "replayed assertion": replay,
    "signed by another key": lambda s, o: s.key.get(
        o, key=ec.generate_private_key(ec.SECP256R1())
    ),
    "credential of another account": lambda s, o: s.other_key.get(o),
    "other account's challenge": forge_with_other_accounts_challenge,
    "no user presence": lambda s, o: s.key.get(o, flags=UV),
    "unregistered credential id": lambda s, o: s.key.get(o, credential_id=b"\x01" * 32),
    "registration instead of assertion": lambda s, o: s.key.create(o),
    "not json": lambda s, o: "[]",
    "too large": lambda s, o: " " * 70_000 + s.key.get(o),
}


@pytest.mark.parametrize("forge", ASSERTION_FORGERIES.values(), ids=ASSERTION_FORGERIES)
def test_forged_assertions_are_refused_and_counted(
    db_session: Session, forge: Callable[[Scene, str], str]
) -> None:
    victim = officer(db_session)
    other = account(db_session, login="other.citizen")
    scene = Scene(db_session, victim, new_key(), other, new_key())
    register(db_session, victim, scene.key)
    register(db_session, other, scene.other_key)
    first, options = begin_login(db_session, victim)
    forged = forge(scene, options)
    before = failures(db_session, victim)
    with pytest.raises(InvalidCredentialsError):
        finish_login(db_session, first, forged)
    assert failures(db_session, victim) == before + 1


def test_expired_challenge_is_refused_and_consumed(db_session: Session) -> None:
    clerk = officer(db_session)
    key = new_key()
    register(db_session, clerk, key)
    first, options = begin_login(db_session, clerk)
    assertion = key.get(options)
    with pytest.raises(InvalidCredentialsError):
        finish_login(db_session, first, assertion, NOW + timedelta(minutes=5))
    with pytest.raises(InvalidCredentialsError):
        finish_login(db_session, first, assertion, NOW + timedelta(minutes=4))
    assert db_session.execute(select(WebAuthnChallenge.id)).first() is None
    assert failures(db_session, clerk) == 2


def test_counter_going_backwards_suspends_the_credential(db_session: Session) -> None:
    clerk = officer(db_session)
    key = new_key(sign_count=10)
    register(db_session, clerk, key)
    login(db_session, clerk, key)  # counter 11
    clone = new_key(key=key.key, credential_id=key.credential_id, sign_count=10)
    first, options = begin_login(db_session, clerk)
    with pytest.raises(InvalidCredentialsError):
        finish_login(db_session, first, clone.get(options))  # 11 again: a copy of the key
    record = stored(db_session, key)
    assert record.clone_suspected_at == NOW and record.sign_count == 11
    # The genuine key is refused too until the officer registers a new one.
    first = password_step(db_session, clerk)
    with pytest.raises(NoSecurityKeyError):
        begin_webauthn_authentication(db_session, first=first, rp_id=RP_ID, now=NOW)
    assert enrolled_factors(db_session, account=clerk) == frozenset()
    replacement = new_key()
    register(db_session, clerk, replacement)
    _, options = begin_login(db_session, clerk)
    with pytest.raises(InvalidCredentialsError):
        finish_login(db_session, first, key.get(options, count=50))
    assert login(db_session, clerk, replacement).amr == ("pwd", "hwk", "mfa")


def test_forged_assertions_are_throttled_like_wrong_codes(db_session: Session) -> None:
    clerk = officer(db_session)
    key = new_key()
    register(db_session, clerk, key)
    impostor = new_key(credential_id=key.credential_id)
    first, _ = begin_login(db_session, clerk)
    for _ in range(5):
        options = begin_webauthn_authentication(db_session, first=first, rp_id=RP_ID, now=NOW)
        with pytest.raises(InvalidCredentialsError):
            finish_login(db_session, first, impostor.get(options))
    options = begin_webauthn_authentication(db_session, first=first, rp_id=RP_ID, now=NOW)
    with pytest.raises(TooManyAttemptsError):  # even with the genuine key: wait first
        finish_login(db_session, first, key.get(options))


def test_set_up_mistakes_are_refused_clearly(db_session: Session) -> None:
    citizen = account(db_session, login="no.key.yet")
    first = password_step(db_session, citizen)
    with pytest.raises(NoSecurityKeyError):
        begin_webauthn_authentication(db_session, first=first, rp_id=RP_ID, now=NOW)
    with pytest.raises(InvalidRequestError):
        verify_second_factor(db_session, first=first, factor=SecondFactor.WEBAUTHN, code="{}",
                             source=SOURCE, keys=KEYS, now=NOW)
    for rp_id, origin in (
        (RP_ID, "http://idp.onedoor.test"),
        (RP_ID, "https://idp.onedoor.test.evil"),
        (RP_ID, "https://idp.onedoor.test/login"),
        ("", ORIGIN),
    ):
        with pytest.raises(InvalidRequestError):
            check_relying_party(rp_id=rp_id, origin=origin)
    check_relying_party(rp_id="onedoor.test", origin="https://login.onedoor.test:8443")
    check_relying_party(rp_id="localhost", origin="http://localhost:8000")
    citizen.active = False
    db_session.flush()
    with pytest.raises(NotPermittedError):
        begin_webauthn_registration(db_session, account_id=citizen.id, rp_id=RP_ID,
                                    rp_name="OneDoor", origin=ORIGIN, now=NOW)
