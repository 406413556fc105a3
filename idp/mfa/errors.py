"""Errors of second factors (verification failures are idp.accounts AuthenticationErrors).

    MfaError                        (OneDoorError)
    ├── NoPendingEnrolmentError     no_pending_enrolment
    ├── InvalidSeedError            invalid_seed: a hardware token seed that cannot be used
    ├── FactorNotAllowedError       factor_not_allowed: this account must use another factor
    ├── SecretUnavailableError      secret_unavailable: a sealed secret cannot be opened
    ├── UnknownChallengeError       unknown_challenge: WebAuthn challenge unknown, used or expired
    ├── SecurityKeyRefusedError     security_key_refused: a registration response is not valid
    └── NoSecurityKeyError          no_security_key: the account has no usable security key

A refused WebAuthn *assertion* is an InvalidCredentialsError like a wrong code (one opaque
error, counted by the throttle); the errors above are for registration and set-up.
"""

from __future__ import annotations

from onedoor.errors import OneDoorError


class MfaError(OneDoorError):
    """A second-factor operation failed."""

    code = "mfa_error"
    http_status = 400


class NoPendingEnrolmentError(MfaError):
    """There is no enrolment waiting for confirmation."""

    code = "no_pending_enrolment"
    http_status = 404


class InvalidSeedError(MfaError):
    """The token seed is not valid base32 of at least 128 bits."""

    code = "invalid_seed"
    http_status = 400


class FactorNotAllowedError(MfaError):
    """This account must log in with another kind of second factor."""

    code = "factor_not_allowed"
    http_status = 403


class SecretUnavailableError(MfaError):
    """A stored secret cannot be opened (wrong key or tampered record)."""

    code = "secret_unavailable"
    http_status = 500


class UnknownChallengeError(MfaError):
    """The WebAuthn challenge is unknown, already used or expired; start again."""

    code = "unknown_challenge"
    http_status = 400


class SecurityKeyRefusedError(MfaError):
    """The security key's registration response could not be verified."""

    code = "security_key_refused"
    http_status = 400


class NoSecurityKeyError(MfaError):
    """This account has no usable security key registered."""

    code = "no_security_key"
    http_status = 404
