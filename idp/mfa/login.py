"""The second step of a login: WebAuthn, a TOTP or a recovery code, throttled with the password.

A login is complete only here: OneDoor never accepts a password alone. Staff (officers and
operators) must use WebAuthn; citizens may use any factor they enrolled. Failures count on the
same per-login counter as password failures, so knowing the password does not buy unlimited
guesses or forged assertions, and the counter is cleared only by a completed login.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from idp.accounts import throttle
from idp.accounts.authn import AuthenticationResult, PasswordVerified
from idp.accounts.errors import InvalidCredentialsError
from idp.accounts.levels import AssuranceLevel, level_of_methods, lowest
from idp.accounts.models import Account
from idp.accounts.rights import WEBAUTHN_REQUIRED, AccountKind
from idp.accounts.throttle import DEFAULT_THROTTLE, ThrottlePolicy
from idp.mfa import recovery, totp
from idp.mfa.errors import FactorNotAllowedError, SecretUnavailableError
from idp.mfa.keys import MfaKeys
from idp.mfa.models import RecoveryCode, TotpAuthenticator
from idp.mfa.service import active_account, params_of, totp_context
from idp.mfa.webauthn import verify_webauthn_assertion
from onedoor.errors import InvalidRequestError

__all__ = ["SecondFactor", "active_account", "complete_login", "verify_second_factor"]


class SecondFactor(StrEnum):
    TOTP = "totp"  # authenticator app or hardware token
    RECOVERY_CODE = "recovery_code"
    WEBAUTHN = "webauthn"  # the code is the PublicKeyCredential JSON of navigator.credentials.get


def complete_login(
    session: Session, *, account: Account, methods: tuple[str, ...], now: datetime
) -> AuthenticationResult:
    """Clear the failure counter and describe the login for an OpenID provider."""
    throttle.record_success(session, login=account.login)
    amr = ("pwd", *methods, "mfa")
    acr = lowest((AssuranceLevel(account.assurance_level), level_of_methods(amr)))
    return AuthenticationResult(
        account_id=account.id, subject=account.subject, amr=amr, acr=acr, auth_time=now
    )


def verify_second_factor(
    session: Session,
    *,
    first: PasswordVerified,
    factor: SecondFactor,
    code: str,
    source: str,
    keys: MfaKeys,
    now: datetime,
    policy: ThrottlePolicy = DEFAULT_THROTTLE,
    rp_id: str | None = None,
    origin: str | None = None,
) -> AuthenticationResult:
    """Check a code or assertion after the password; raise an AuthenticationError on failure.

    WebAuthn needs the relying party id and the origin of the login page (``rp_id``, ``origin``).
    """
    if factor is SecondFactor.WEBAUTHN and (rp_id is None or origin is None):
        raise InvalidRequestError("WebAuthn needs the relying party id and origin")
    throttle.check(session, login=first.login, source=source, now=now, policy=policy)
    account = active_account(session, first)
    if factor is SecondFactor.WEBAUTHN and rp_id is not None and origin is not None:
        try:
            method = verify_webauthn_assertion(
                session, account=account, credential_json=code, rp_id=rp_id, origin=origin,
                now=now,
            )
        except InvalidCredentialsError:
            throttle.record_failure(
                session, login=first.login, source=source, now=now, policy=policy
            )
            raise
        return complete_login(session, account=account, methods=(method,), now=now)
    if AccountKind(account.kind) in WEBAUTHN_REQUIRED:
        raise FactorNotAllowedError("staff accounts log in with a security key (WebAuthn)")
    accepted = (
        _accept_totp(session, account=account, code=code, keys=keys, now=now)
        if factor is SecondFactor.TOTP
        else _accept_recovery_code(session, account=account, code=code, keys=keys, now=now)
    )
    if not accepted:
        throttle.record_failure(
            session, login=first.login, source=source, now=now, policy=policy
        )
        raise InvalidCredentialsError()
    return complete_login(session, account=account, methods=("otp",), now=now)


def _accept_totp(
    session: Session, *, account: Account, code: str, keys: MfaKeys, now: datetime
) -> bool:
    authenticators = session.execute(
        select(TotpAuthenticator).where(
            TotpAuthenticator.account_id == account.id,
            TotpAuthenticator.confirmed_at.is_not(None),
        )
    ).scalars()
    for authenticator in authenticators:
        try:
            secret = keys.open(authenticator.sealed_secret, context=totp_context(account.id))
            step = totp.verify_code(
                secret, code, now=now, last_step=authenticator.last_step,
                params=params_of(authenticator),
            )
        except (InvalidCredentialsError, SecretUnavailableError):
            continue
        # Compare-and-set, so two replicas given the same code accept it once between them.
        result = session.execute(
            update(TotpAuthenticator)
            .where(
                TotpAuthenticator.id == authenticator.id,
                (TotpAuthenticator.last_step.is_(None))
                | (TotpAuthenticator.last_step < step),
            )
            .values(last_step=step)
            .execution_options(synchronize_session=False)
        )
        if getattr(result, "rowcount", 0) == 1:
            session.expire(authenticator)
            return True
    return False


def _accept_recovery_code(
    session: Session, *, account: Account, code: str, keys: MfaKeys, now: datetime
) -> bool:
    normalised = recovery.normalise(code)
    if normalised is None:
        return False
    digest = recovery.code_digest(keys, account_id=account.id, code=normalised)
    result = session.execute(
        update(RecoveryCode)
        .where(
            RecoveryCode.account_id == account.id,
            RecoveryCode.digest == digest,
            RecoveryCode.used_at.is_(None),
        )
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    return getattr(result, "rowcount", 0) == 1
