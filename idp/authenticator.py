"""Accounts and MFA behind the OpenID provider's Authenticator port (idp/oidc/authenticator.py).

A password alone ranks below eIDAS "low" here, and the provider is built with a minimum level
of "low", so every login needs a second factor (SP 800-63B); the account's proofing level and
the methods used then decide the ``acr`` (idp/accounts/levels.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from idp.accounts.authn import AuthenticationResult, PasswordVerified
from idp.accounts.errors import (
    AccountError,
    AccountLockedError,
    AuthenticationError,
    TooManyAttemptsError,
)
from idp.accounts.hashing import DEFAULT_HASHER, PasswordHasher
from idp.accounts.login import authenticate_password
from idp.accounts.models import Account, Centre
from idp.accounts.rights import WEBAUTHN_REQUIRED, AccountKind
from idp.enrolment import EnrolmentTokenError, check_enrolment_token
from idp.mfa.errors import FactorNotAllowedError, MfaError, NoSecurityKeyError
from idp.mfa.keys import MfaKeys
from idp.mfa.login import SecondFactor, verify_second_factor
from idp.mfa.service import enrolled_factors
from idp.mfa.webauthn import (
    begin_webauthn_authentication,
    begin_webauthn_registration,
    check_relying_party,
    finish_webauthn_registration,
)
from idp.oidc.authenticator import (
    AuthenticationFailedError,
    AuthResult,
    FailureReason,
    RelyingParty,
    SecondFactorOptions,
)
from onedoor.errors import InvalidRequestError

PASSWORD_ONLY_ACR = "urn:onedoor:acr:password-only"  # ranks below every eIDAS level
Clock = Callable[[], datetime]


def _utc_now() -> datetime:
    return datetime.now(UTC)


class AccountsAuthenticator:
    """The real authenticator: idp/accounts for passwords, idp/mfa for second factors."""

    def __init__(
        self, *, keys: MfaKeys, hasher: PasswordHasher = DEFAULT_HASHER, clock: Clock = _utc_now
    ) -> None:
        self._keys = keys
        self._hasher = hasher
        self._clock = clock

    def authenticate_password(
        self, session: Session, *, login: str, password: str, source: str
    ) -> AuthResult:
        now = self._clock()
        with _translated_errors():
            verified = authenticate_password(
                session, login=login, password=password, source=source, now=now,
                hasher=self._hasher,
            )
        return AuthResult(
            subject=verified.subject, acr=PASSWORD_ONLY_ACR, amr=("pwd",), auth_time=now
        )

    def verify_second_factor(
        self, session: Session, *, account: str, code: str, source: str
    ) -> AuthResult:
        now = self._clock()
        first = _first_factor(session, account, now)
        compact = code.strip().replace(" ", "")
        factor = SecondFactor.TOTP if compact.isdigit() else SecondFactor.RECOVERY_CODE
        with _translated_errors(code_step=True):
            result = verify_second_factor(
                session, first=first, factor=factor, code=compact, source=source,
                keys=self._keys, now=now,
            )
        return _as_oidc(result)

    def second_factor_options(
        self, session: Session, *, account: str, relying_party: RelyingParty
    ) -> SecondFactorOptions:
        """Staff may use only a security key (WebAuthn); citizens a code and/or a key."""
        now = self._clock()
        first = _first_factor(session, account, now)
        holder = session.get(Account, first.account_id)
        assert holder is not None
        staff = AccountKind(holder.kind) in WEBAUTHN_REQUIRED
        factors = set() if staff else {"code"}
        options = None
        if "webauthn" in enrolled_factors(session, account=holder) and _usable(relying_party):
            try:
                options = begin_webauthn_authentication(
                    session, first=first, rp_id=relying_party.rp_id, now=now
                )
            except NoSecurityKeyError:
                options = None
            else:
                factors.add("webauthn")
        return SecondFactorOptions(factors=frozenset(factors), webauthn=options)

    def verify_security_key(
        self, session: Session, *, account: str, assertion: str, relying_party: RelyingParty,
        source: str,
    ) -> AuthResult:
        now = self._clock()
        first = _first_factor(session, account, now)
        if not _usable(relying_party):
            raise AuthenticationFailedError("unavailable")
        with _translated_errors(code_step=True):
            result = verify_second_factor(
                session, first=first, factor=SecondFactor.WEBAUTHN, code=assertion,
                source=source, keys=self._keys, now=now, rp_id=relying_party.rp_id,
                origin=relying_party.origin,
            )
        return _as_oidc(result)

    def begin_key_enrolment(
        self, session: Session, *, token: str, relying_party: RelyingParty
    ) -> str:
        """Creation options for the first security key of the token's staff account."""
        now = self._clock()
        with _enrolment_errors():
            account = check_enrolment_token(session, token=token, keys=self._keys, now=now)
            return begin_webauthn_registration(
                session, account_id=account.id, rp_id=relying_party.rp_id,
                rp_name=relying_party.name, origin=relying_party.origin, now=now,
            )

    def finish_key_enrolment(
        self, session: Session, *, token: str, credential: str, relying_party: RelyingParty
    ) -> None:
        now = self._clock()
        with _enrolment_errors():
            account = check_enrolment_token(session, token=token, keys=self._keys, now=now)
            finish_webauthn_registration(
                session, account_id=account.id, credential_json=credential,
                origin=relying_party.origin, rp_id=relying_party.rp_id, now=now,
            )

    def claims_for(
        self, session: Session, *, subject: str, scopes: Sequence[str]
    ) -> Mapping[str, Any]:
        account = session.execute(
            select(Account).where(Account.subject == subject)
        ).scalar_one_or_none()
        if account is None:
            return {}
        claims: dict[str, Any] = {}
        if "profile" in scopes:
            claims["name"] = account.display_name
            claims["preferred_username"] = account.login
        if "onedoor" in scopes:
            claims["onedoor_account_kind"] = account.kind
            claims["onedoor_assurance"] = account.assurance_level
            if account.person_id:
                claims["onedoor_person_id"] = account.person_id
            if account.centre_id is not None:
                centre = session.get(Centre, account.centre_id)
                claims["onedoor_centre"] = centre.code if centre else None
        return claims


def _first_factor(session: Session, subject: str, now: datetime) -> PasswordVerified:
    """The first step again, from the subject the provider kept between the two pages."""
    holder = session.execute(
        select(Account).where(Account.subject == subject)
    ).scalar_one_or_none()
    if holder is None or not holder.active:
        raise AuthenticationFailedError("invalid_code")
    return PasswordVerified(
        account_id=holder.id, subject=holder.subject, login=holder.login,
        password_must_change=holder.password_must_change, verified_at=now,
    )


def _usable(relying_party: RelyingParty) -> bool:
    """WebAuthn needs a domain name served over https (or http://localhost) as its RP id."""
    try:
        check_relying_party(rp_id=relying_party.rp_id, origin=relying_party.origin)
    except InvalidRequestError:
        return False
    return True


@contextmanager
def _enrolment_errors() -> Iterator[None]:
    """One opaque refusal for a bad token, a refused key or an unusable relying party."""
    try:
        yield
    except (EnrolmentTokenError, AccountError, MfaError, InvalidRequestError) as exc:
        raise AuthenticationFailedError("invalid_credentials") from exc


def _as_oidc(result: AuthenticationResult) -> AuthResult:
    return AuthResult(
        subject=result.subject, acr=result.acr.eidas_uri, amr=result.amr,
        auth_time=result.auth_time,
    )


@contextmanager
def _translated_errors(*, code_step: bool = False) -> Iterator[None]:
    """Map accounts errors to the provider's one opaque failure per class (no oracle)."""
    try:
        yield
    except (AccountLockedError, TooManyAttemptsError) as exc:
        raise AuthenticationFailedError("locked") from exc
    except (AuthenticationError, FactorNotAllowedError) as exc:
        reason: FailureReason = "invalid_code" if code_step else "invalid_credentials"
        raise AuthenticationFailedError(reason) from exc
