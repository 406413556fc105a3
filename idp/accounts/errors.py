"""Errors of accounts and authentication; each has a stable ``code`` callers can rely on.

    AccountError                      (OneDoorError)
    ├── AuthenticationError           the login attempt failed; failure counters were written
    │   ├── InvalidCredentialsError   invalid_credentials: wrong login, password or code
    │   ├── TooManyAttemptsError      too_many_attempts: wait ``retry_after`` seconds
    │   └── AccountLockedError        account_locked: an officer must reset the lockout
    ├── PasswordRejectedError         password_rejected: the new password breaks the policy
    ├── AccountExistsError            account_exists
    ├── UnknownAccountError           unknown_account
    ├── UnknownCentreError            unknown_centre
    ├── CentreExistsError             centre_exists
    └── NotPermittedError             not_permitted: the acting account lacks the right
"""

from __future__ import annotations

from onedoor.errors import OneDoorError


class AccountError(OneDoorError):
    """An account operation failed."""

    code = "account_error"
    http_status = 400


class AuthenticationError(AccountError):
    """Authentication failed (callers commit the session so failure counters persist)."""

    code = "authentication_failed"
    http_status = 401


class InvalidCredentialsError(AuthenticationError):
    """The login, password or code is not valid."""

    code = "invalid_credentials"
    http_status = 401


class TooManyAttemptsError(AuthenticationError):
    """Too many failed attempts: try again later (SP 800-63B 5.2.2)."""

    code = "too_many_attempts"
    http_status = 429

    def __init__(self, retry_after: int, message: str | None = None) -> None:
        self.retry_after = max(1, retry_after)
        default = f"too many failed attempts; try again after {self.retry_after} seconds"
        super().__init__(message or default)

    def to_body(self) -> dict[str, dict[str, str]]:
        body = super().to_body()
        body["error"]["retry_after"] = str(self.retry_after)
        return body


class AccountLockedError(AuthenticationError):
    """The account is locked after too many failed attempts; an officer must reset it."""

    code = "account_locked"
    http_status = 403


class PasswordRejectedError(AccountError):
    """The password does not meet the password policy."""

    code = "password_rejected"
    http_status = 400


class AccountExistsError(AccountError):
    """An account with this login or person already exists."""

    code = "account_exists"
    http_status = 409


class UnknownAccountError(AccountError):
    """No such account."""

    code = "unknown_account"
    http_status = 404


class UnknownCentreError(AccountError):
    """No such centre."""

    code = "unknown_centre"
    http_status = 404


class CentreExistsError(AccountError):
    """A centre with this code already exists."""

    code = "centre_exists"
    http_status = 409


class NotPermittedError(AccountError):
    """The acting account does not have the right to do this."""

    code = "not_permitted"
    http_status = 403
