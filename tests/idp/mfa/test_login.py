"""Second factors in a login, from the attacker's side: replay, old codes, guessing, reuse."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from idp.accounts.authn import PasswordVerified
from idp.accounts.errors import (
    AccountLockedError,
    InvalidCredentialsError,
    NotPermittedError,
    TooManyAttemptsError,
)
from idp.accounts.levels import AssuranceLevel
from idp.accounts.login import authenticate_password
from idp.accounts.models import Account
from idp.accounts.rights import AccountKind
from idp.accounts.throttle import ThrottlePolicy
from idp.mfa import totp
from idp.mfa.errors import FactorNotAllowedError, NoPendingEnrolmentError
from idp.mfa.keys import MfaKeys
from idp.mfa.login import SecondFactor, verify_second_factor
from idp.mfa.service import (
    confirm_totp,
    enrol_totp,
    enrolled_factors,
    generate_recovery_codes,
    register_hardware_token,
    remaining_recovery_codes,
)
from onedoor.errors import InvalidRequestError
from tests.idp.accounts.support import CHEAP_HASHER, NOW, PASSWORD, account, officer

KEYS = MfaKeys.generate()
SOURCE = "192.0.2.44"


def password_step(session: Session, user: Account, now: datetime = NOW) -> PasswordVerified:
    return authenticate_password(
        session, login=user.login, password=PASSWORD, source=SOURCE, now=now,
        hasher=CHEAP_HASHER,
    )


def with_app(session: Session, user: Account) -> bytes:
    enrolment = enrol_totp(session, account_id=user.id, keys=KEYS, now=NOW)
    secret = totp.decode_secret(enrolment.secret)
    first = totp.code_at_step(secret, totp.time_step(NOW))
    confirm_totp(session, account_id=user.id, authenticator_id=enrolment.authenticator_id,
                 code=first, keys=KEYS, now=NOW)
    return secret


def second(session: Session, user: Account, factor: SecondFactor, code: str,
           now: datetime, **kw: object) -> object:
    return verify_second_factor(
        session, first=password_step(session, user, now), factor=factor, code=code,
        source=SOURCE, keys=KEYS, now=now, **kw,  # type: ignore[arg-type]
    )


def test_password_and_app_code_complete_a_login_with_amr_and_acr(db_session: Session) -> None:
    user = account(db_session, login="app.user")
    secret = with_app(db_session, user)
    assert enrolled_factors(db_session, account=user) == {"totp"}
    later = NOW + timedelta(minutes=5)
    result = verify_second_factor(
        db_session, first=password_step(db_session, user, later), factor=SecondFactor.TOTP,
        code=totp.code_at_step(secret, totp.time_step(later)), source=SOURCE, keys=KEYS,
        now=later,
    )
    assert (result.account_id, result.subject) == (user.id, user.subject)
    assert result.amr == ("pwd", "otp", "mfa")
    assert result.acr is AssuranceLevel.SUBSTANTIAL and result.auth_time == later


def test_acr_is_capped_by_proofing_and_by_the_methods(db_session: Session) -> None:
    low = account(db_session, login="low.user", level=AssuranceLevel.LOW)
    high = account(db_session, login="high.user", level=AssuranceLevel.HIGH)
    for user, expected in ((low, "low"), (high, "substantial")):
        secret = with_app(db_session, user)
        later = NOW + timedelta(minutes=1)
        result = verify_second_factor(
            db_session, first=password_step(db_session, user, later), factor=SecondFactor.TOTP,
            code=totp.code_at_step(secret, totp.time_step(later)), source=SOURCE, keys=KEYS,
            now=later,
        )
        assert result.acr == expected


def test_replayed_code_and_code_from_two_steps_ago_are_refused(db_session: Session) -> None:
    user = account(db_session, login="replay.victim")
    secret = with_app(db_session, user)
    later = NOW + timedelta(minutes=2)
    seen = totp.code_at_step(secret, totp.time_step(later))
    second(db_session, user, SecondFactor.TOTP, seen, later)
    with pytest.raises(InvalidCredentialsError):
        second(db_session, user, SecondFactor.TOTP, seen, later + timedelta(seconds=5))
    much_later = later + timedelta(minutes=10)
    stale = totp.code_at_step(secret, totp.time_step(much_later) - 2)  # never used, too old
    with pytest.raises(InvalidCredentialsError):
        second(db_session, user, SecondFactor.TOTP, stale, much_later)
    # The enrolment code itself was already used: it cannot log in.
    with pytest.raises(InvalidCredentialsError):
        second(db_session, user, SecondFactor.TOTP, totp.code_at_step(secret,
               totp.time_step(NOW)), NOW)


def test_guessing_codes_after_the_password_is_throttled_then_locked(
    db_session: Session,
) -> None:
    user = account(db_session, login="otp.target")
    with_app(db_session, user)
    policy = ThrottlePolicy(source_failures=1000)
    now = NOW + timedelta(minutes=1)
    first = password_step(db_session, user, now)
    for _ in range(5):
        with pytest.raises(InvalidCredentialsError):
            verify_second_factor(db_session, first=first, factor=SecondFactor.TOTP,
                                 code="000000", source=SOURCE, keys=KEYS, now=now,
                                 policy=policy)
    with pytest.raises(TooManyAttemptsError):
        verify_second_factor(db_session, first=first, factor=SecondFactor.TOTP,
                             code="000001", source=SOURCE, keys=KEYS, now=now, policy=policy)
    codes: list[str] = []
    for _ in range(95):
        now += timedelta(hours=1)
        try:
            verify_second_factor(db_session, first=first, factor=SecondFactor.TOTP,
                                 code="999999", source=SOURCE, keys=KEYS, now=now,
                                 policy=policy)
        except (InvalidCredentialsError, AccountLockedError) as exc:
            codes.append(exc.code)
    assert codes[-1] == "account_locked"
    with pytest.raises(AccountLockedError):
        password_step(db_session, user, now + timedelta(days=1))


def test_recovery_codes_are_single_use_and_bound_to_their_account(db_session: Session) -> None:
    user = account(db_session, login="recovering")
    other = account(db_session, login="someone.else")
    codes = generate_recovery_codes(db_session, account_id=user.id, keys=KEYS, now=NOW)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert all(len(code) == 11 and code[5] == "-" for code in codes)
    result = second(db_session, user, SecondFactor.RECOVERY_CODE, codes[0].lower(), NOW)
    assert result.amr == ("pwd", "otp", "mfa")  # type: ignore[attr-defined]
    with pytest.raises(InvalidCredentialsError):
        second(db_session, user, SecondFactor.RECOVERY_CODE, codes[0], NOW)
    with pytest.raises(InvalidCredentialsError):
        second(db_session, other, SecondFactor.RECOVERY_CODE, codes[1], NOW)
    assert remaining_recovery_codes(db_session, account_id=user.id) == 9
    fresh = generate_recovery_codes(db_session, account_id=user.id, keys=KEYS, now=NOW)
    with pytest.raises(InvalidCredentialsError):  # regenerating voids the old sheet
        second(db_session, user, SecondFactor.RECOVERY_CODE, codes[2], NOW)
    second(db_session, user, SecondFactor.RECOVERY_CODE, fresh[0], NOW)


def test_confirmation_needs_a_valid_code_and_a_pending_enrolment(db_session: Session) -> None:
    user = account(db_session, login="enrolling")
    enrolment = enrol_totp(db_session, account_id=user.id, keys=KEYS, now=NOW)
    assert enrolment.uri.startswith("otpauth://totp/OneDoor:enrolling?")
    with pytest.raises(InvalidCredentialsError):
        confirm_totp(db_session, account_id=user.id, authenticator_id=enrolment.authenticator_id,
                     code="123456", keys=KEYS, now=NOW)
    intruder = account(db_session, login="intruder")
    code = totp.code_at_step(totp.decode_secret(enrolment.secret), totp.time_step(NOW))
    with pytest.raises(NoPendingEnrolmentError):
        confirm_totp(db_session, account_id=intruder.id,
                     authenticator_id=enrolment.authenticator_id, code=code, keys=KEYS, now=NOW)
    with pytest.raises(NoPendingEnrolmentError):
        confirm_totp(db_session, account_id=user.id,
                     authenticator_id=enrolment.authenticator_id, code=code, keys=KEYS,
                     now=NOW + timedelta(minutes=11))
    assert enrolled_factors(db_session, account=user) == frozenset()


def test_centre_registers_a_hardware_token_for_a_citizen(db_session: Session) -> None:
    clerk = officer(db_session)
    citizen = account(db_session, login="no.phone")
    seed = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    secret = totp.decode_secret(seed)
    shown = totp.code_at_step(secret, totp.time_step(NOW))
    with pytest.raises(InvalidRequestError):
        register_hardware_token(db_session, officer_id=clerk.id, account_id=citizen.id,
                                seed=seed, code="000000", serial="TK-1", keys=KEYS, now=NOW)
    with pytest.raises(NotPermittedError):
        register_hardware_token(db_session, officer_id=citizen.id, account_id=citizen.id,
                                seed=seed, code=shown, serial="TK-1", keys=KEYS, now=NOW)
    register_hardware_token(db_session, officer_id=clerk.id, account_id=citizen.id, seed=seed,
                            code=shown, serial="TK-1", keys=KEYS, now=NOW)
    printed = generate_recovery_codes(db_session, account_id=citizen.id, keys=KEYS, now=NOW,
                                      actor_id=clerk.id)
    assert len(printed) == 10
    with pytest.raises(InvalidCredentialsError):  # the code typed at the desk is spent
        second(db_session, citizen, SecondFactor.TOTP, shown, NOW)
    later = NOW + timedelta(seconds=30)
    second(db_session, citizen, SecondFactor.TOTP, totp.code_at_step(secret,
           totp.time_step(later)), later)
    stranger = account(db_session, login="stranger")
    with pytest.raises(NotPermittedError):
        generate_recovery_codes(db_session, account_id=citizen.id, keys=KEYS, now=NOW,
                                actor_id=stranger.id)


def test_officers_must_use_a_security_key(db_session: Session) -> None:
    clerk = officer(db_session)
    assert clerk.kind == AccountKind.OFFICER
    secret = with_app(db_session, clerk)
    later = NOW + timedelta(minutes=1)
    with pytest.raises(FactorNotAllowedError):
        second(db_session, clerk, SecondFactor.TOTP, totp.code_at_step(secret,
               totp.time_step(later)), later)
