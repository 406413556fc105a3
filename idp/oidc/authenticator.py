"""The port to accounts and MFA: how the OpenID provider checks who the user is."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, Protocol, runtime_checkable

from sqlalchemy.orm import Session

from onedoor.errors import OneDoorError

FailureReason = Literal["invalid_credentials", "invalid_code", "locked", "unavailable"]


@dataclass(frozen=True)
class AuthResult:
    """A successful authentication step: who, at which eIDAS level, by which methods (RFC 8176)."""

    subject: str
    acr: str
    amr: tuple[str, ...]
    auth_time: datetime


class AuthenticationFailedError(OneDoorError):
    """The login, password or code was not accepted."""

    code = "authentication_failed"
    http_status = 401
    def __init__(self, reason: FailureReason = "invalid_credentials") -> None:
        super().__init__(f"authentication failed: {reason}")
        self.reason: FailureReason = reason


@dataclass(frozen=True)
class SecondFactorOptions:
    """Which second factors the account may use now; WebAuthn request options when it has a key.

    ``factors`` holds "code" (a TOTP or recovery code) and/or "webauthn";
    ``webauthn`` is the JSON for ``navigator.credentials.get()`` (WebAuthn L2 section 5.5).
    """

    factors: frozenset[str]
    webauthn: str | None = None


@dataclass(frozen=True)
class RelyingParty:
    """The WebAuthn relying party of the login pages (WebAuthn L2 section 5.1.3)."""

    rp_id: str
    origin: str
    name: str = "OneDoor"


class Authenticator(Protocol):
    """What idp/accounts and idp/mfa provide; failures raise AuthenticationFailedError."""

    def authenticate_password(
        self, session: Session, *, login: str, password: str, source: str
    ) -> AuthResult: ...

    def verify_second_factor(
        self, session: Session, *, account: str, code: str, source: str
    ) -> AuthResult:
        """Check a TOTP or recovery code for ``account`` (the subject of the first step)."""
        ...

    def second_factor_options(
        self, session: Session, *, account: str, relying_party: RelyingParty
    ) -> SecondFactorOptions:
        """The second factors ``account`` may use; issues a WebAuthn challenge if it has a key."""
        ...

    def verify_security_key(
        self, session: Session, *, account: str, assertion: str, relying_party: RelyingParty,
        source: str,
    ) -> AuthResult:
        """Check a WebAuthn assertion (the PublicKeyCredential JSON) for ``account``."""
        ...

    def claims_for(
        self, session: Session, *, subject: str, scopes: Sequence[str]
    ) -> Mapping[str, Any]:
        """Standard claims (OIDC Core 5.1) released for ``scopes``, without ``sub``."""
        ...


@runtime_checkable
class KeyEnrolment(Protocol):
    """Registering a staff account's first security key with a one-time enrolment token."""

    def begin_key_enrolment(
        self, session: Session, *, token: str, relying_party: RelyingParty
    ) -> str:
        """Creation options JSON (WebAuthn L2 section 5.4); raises AuthenticationFailedError."""
        ...

    def finish_key_enrolment(
        self, session: Session, *, token: str, credential: str, relying_party: RelyingParty
    ) -> None:
        """Verify the attestation (section 7.1) and store the key; the token is then spent."""
        ...


class UnconfiguredAuthenticator:
    """Refuses every login: the provider runs but nobody can log in until one is plugged in."""

    def authenticate_password(
        self, session: Session, *, login: str, password: str, source: str
    ) -> AuthResult:
        raise AuthenticationFailedError("unavailable")

    def verify_second_factor(
        self, session: Session, *, account: str, code: str, source: str
    ) -> AuthResult:
        raise AuthenticationFailedError("unavailable")

    def second_factor_options(
        self, session: Session, *, account: str, relying_party: RelyingParty
    ) -> SecondFactorOptions:
        return SecondFactorOptions(factors=frozenset({"code"}))

    def verify_security_key(
        self, session: Session, *, account: str, assertion: str, relying_party: RelyingParty,
        source: str,
    ) -> AuthResult:
        raise AuthenticationFailedError("unavailable")

    def claims_for(
        self, session: Session, *, subject: str, scopes: Sequence[str]
    ) -> Mapping[str, Any]:
        return {}
