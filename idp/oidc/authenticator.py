"""The port to accounts and MFA: how the OpenID provider checks who the user is."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, Protocol

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

    def claims_for(
        self, session: Session, *, subject: str, scopes: Sequence[str]
    ) -> Mapping[str, Any]:
        """Standard claims (OIDC Core 5.1) released for ``scopes``, without ``sub``."""
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

    def claims_for(
        self, session: Session, *, subject: str, scopes: Sequence[str]
    ) -> Mapping[str, Any]:
        return {}
