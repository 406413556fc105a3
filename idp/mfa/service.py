"""Enrolling second factors: authenticator apps, hardware tokens, recovery codes.

WebAuthn security keys are registered in :mod:`idp.mfa.webauthn`.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from idp.accounts.authn import PasswordVerified
from idp.accounts.errors import InvalidCredentialsError
from idp.accounts.models import Account
from idp.accounts.rights import AccountKind, Right, require_right
from idp.accounts.service import Random, get_account
from idp.mfa import recovery, totp
from idp.mfa.errors import NoPendingEnrolmentError
from idp.mfa.keys import MfaKeys
from idp.mfa.models import RecoveryCode, TotpAuthenticator, WebAuthnCredential
from onedoor.errors import InvalidRequestError

APP = "app"
HARDWARE = "hardware"
ENROLMENT_TTL = timedelta(minutes=10)
APP_SECRET_BYTES = 20  # 160 bits, RFC 4226 section 4 R6


@dataclass(frozen=True)
class TotpEnrolment:
    """Show ``qr_svg`` (or ``secret`` for typing in) once; confirm with a first code."""

    authenticator_id: int
    secret: str
    uri: str
    qr_svg: str


def active_account(session: Session, first: PasswordVerified) -> Account:
    """The account whose password was checked, if it is still active under the same login."""
    account = session.get(Account, first.account_id)
    if account is None or not account.active or account.login != first.login:
        raise InvalidCredentialsError()
    return account


def totp_context(account_id: int) -> str:
    return f"idp.mfa.totp:{account_id}"


def enrol_totp(
    session: Session, *, account_id: int, keys: MfaKeys, now: datetime,
    random: Random = secrets.token_bytes,
) -> TotpEnrolment:
    """Start enrolling an authenticator app; an unconfirmed earlier attempt is discarded."""
    account = get_account(session, account_id=account_id)
    session.execute(
        delete(TotpAuthenticator).where(
            TotpAuthenticator.account_id == account.id,
            TotpAuthenticator.kind == APP,
            TotpAuthenticator.confirmed_at.is_(None),
        )
    )
    secret = random(APP_SECRET_BYTES)
    params = totp.APP_PARAMETERS
    authenticator = TotpAuthenticator(
        account_id=account.id, kind=APP, label="authenticator app",
        sealed_secret=keys.seal(secret, context=totp_context(account.id)),
        algorithm=params.algorithm, digits=params.digits, period=params.period,
        last_step=None, created_at=now, confirmed_at=None, registered_by=None,
    )
    session.add(authenticator)
    session.flush()
    uri = totp.provisioning_uri(secret, account_name=account.login)
    return TotpEnrolment(
        authenticator_id=authenticator.id, secret=totp.encode_secret(secret), uri=uri,
        qr_svg=totp.qr_svg(uri),
    )


def confirm_totp(
    session: Session, *, account_id: int, authenticator_id: int, code: str, keys: MfaKeys,
    now: datetime,
) -> None:
    """Activate an enrolment with its first valid code (which cannot then be used to log in)."""
    authenticator = session.get(TotpAuthenticator, authenticator_id)
    if (
        authenticator is None
        or authenticator.account_id != account_id
        or authenticator.confirmed_at is not None
        or now - authenticator.created_at > ENROLMENT_TTL
    ):
        raise NoPendingEnrolmentError()
    secret = keys.open(authenticator.sealed_secret, context=totp_context(account_id))
    step = totp.verify_code(secret, code, now=now, last_step=None, params=params_of(authenticator))
    authenticator.confirmed_at = now
    authenticator.last_step = step
    session.flush()


def params_of(authenticator: TotpAuthenticator) -> totp.TotpParameters:
    return totp.TotpParameters(
        algorithm=authenticator.algorithm, digits=authenticator.digits,
        period=authenticator.period,
    )


def register_hardware_token(
    session: Session,
    *,
    officer_id: int,
    account_id: int,
    seed: str,
    code: str,
    serial: str,
    keys: MfaKeys,
    now: datetime,
    params: totp.TotpParameters = totp.APP_PARAMETERS,
) -> int:
    """A centre registers a TOTP token's base32 seed for a citizen without a phone.

    The officer types the code the token shows, proving the seed belongs to the token in hand.
    """
    officer = get_account(session, account_id=officer_id)
    require_right(officer, Right.REGISTER_HARDWARE_TOKEN)
    account = get_account(session, account_id=account_id)
    if account.kind != AccountKind.CITIZEN:
        raise InvalidRequestError("hardware tokens are registered for citizen accounts")
    serial = serial.strip()
    if not 1 <= len(serial) <= 64:
        raise InvalidRequestError("token serial: 1-64 characters")
    secret = totp.decode_secret(seed)
    try:
        step = totp.verify_code(secret, code, now=now, last_step=None, params=params)
    except InvalidCredentialsError:
        raise InvalidRequestError("the code does not match this seed; check the token") from None
    authenticator = TotpAuthenticator(
        account_id=account.id, kind=HARDWARE, label=f"token {serial}",
        sealed_secret=keys.seal(secret, context=totp_context(account.id)),
        algorithm=params.algorithm, digits=params.digits, period=params.period,
        last_step=step, created_at=now, confirmed_at=now, registered_by=officer.id,
    )
    session.add(authenticator)
    session.flush()
    return authenticator.id


def generate_recovery_codes(
    session: Session, *, account_id: int, keys: MfaKeys, now: datetime,
    actor_id: int | None = None, random: Random = secrets.token_bytes,
) -> list[str]:
    """Replace the account's recovery codes with fresh ones, returned once for display.

    ``actor_id`` is the officer printing them for a citizen at a centre; None means the
    account holder.
    """
    account = get_account(session, account_id=account_id)
    if actor_id is not None and actor_id != account_id:
        require_right(get_account(session, account_id=actor_id), Right.ISSUE_RECOVERY_CODES)
    session.execute(delete(RecoveryCode).where(RecoveryCode.account_id == account.id))
    codes: list[str] = []
    while len(codes) < recovery.CODE_COUNT:
        code = recovery.new_code(random=random)
        if code not in codes:
            codes.append(code)
    for code in codes:
        session.add(
            RecoveryCode(
                account_id=account.id,
                digest=recovery.code_digest(keys, account_id=account.id, code=code),
                created_at=now,
                used_at=None,
            )
        )
    session.flush()
    return [recovery.display(code) for code in codes]


def remaining_recovery_codes(session: Session, *, account_id: int) -> int:
    rows = session.execute(
        select(RecoveryCode.id).where(
            RecoveryCode.account_id == account_id, RecoveryCode.used_at.is_(None)
        )
    ).all()
    return len(rows)


def enrolled_factors(session: Session, *, account: Account) -> frozenset[str]:
    """Second factors the account can log in with: "totp", "recovery_code", "webauthn"."""
    factors: set[str] = set()
    if session.execute(
        select(TotpAuthenticator.id).where(
            TotpAuthenticator.account_id == account.id,
            TotpAuthenticator.confirmed_at.is_not(None),
        )
    ).first():
        factors.add("totp")
    if remaining_recovery_codes(session, account_id=account.id):
        factors.add("recovery_code")
    if session.execute(
        select(WebAuthnCredential.id).where(
            WebAuthnCredential.account_id == account.id,
            WebAuthnCredential.clone_suspected_at.is_(None),
        )
    ).first():
        factors.add("webauthn")
    return frozenset(factors)
