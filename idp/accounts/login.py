"""The password step of a login: throttled, constant-time, rehashing (SP 800-63B 3.1.1.2)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from idp.accounts import throttle
from idp.accounts.authn import PasswordVerified
from idp.accounts.errors import InvalidCredentialsError
from idp.accounts.hashing import DEFAULT_HASHER, PasswordHasher
from idp.accounts.service import find_account_by_login
from idp.accounts.throttle import DEFAULT_THROTTLE, ThrottlePolicy


def authenticate_password(
    session: Session,
    *,
    login: str,
    password: str,
    source: str,
    now: datetime,
    hasher: PasswordHasher = DEFAULT_HASHER,
    policy: ThrottlePolicy = DEFAULT_THROTTLE,
) -> PasswordVerified:
    """Check a login name and password; raise an AuthenticationError on any failure.

    Unknown logins, disabled accounts and accounts without a password cost one argon2
    verification like a real one, and count failures like a real one, so neither timing nor
    throttling tells an attacker which logins exist. Failure counters are written to
    ``session`` before the error is raised: the caller commits on AuthenticationError too
    (see :func:`idp.accounts.units.login_unit`).
    """
    throttle.check(session, login=login, source=source, now=now, policy=policy)
    account = find_account_by_login(session, login=login) if len(login) <= 256 else None
    if account is None or account.password_hash is None or not account.active:
        hasher.dummy_verify(password)
        throttle.record_failure(session, login=login, source=source, now=now, policy=policy)
        raise InvalidCredentialsError()
    try:
        hasher.verify(account.password_hash, password)
    except InvalidCredentialsError:
        throttle.record_failure(session, login=login, source=source, now=now, policy=policy)
        raise
    if hasher.needs_rehash(account.password_hash):
        account.password_hash = hasher.hash(password)
        session.flush()
    return PasswordVerified(
        account_id=account.id,
        subject=account.subject,
        login=account.login,
        password_must_change=account.password_must_change,
        verified_at=now,
    )
