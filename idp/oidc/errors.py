"""OAuth 2.0 and OpenID Connect protocol errors, one class per ``error`` code.

    OAuthError                      error, description, status_code
    ├── InvalidRequestError         RFC 6749 4.1.2.1 / 5.2
    ├── InvalidClientError          RFC 6749 5.2 (401)
    ├── InvalidGrantError           RFC 6749 5.2
    ├── UnauthorizedClientError     RFC 6749 5.2
    ├── UnsupportedGrantTypeError   RFC 6749 5.2
    ├── UnsupportedResponseTypeError RFC 6749 4.1.2.1
    ├── InvalidScopeError           RFC 6749 5.2
    ├── AccessDeniedError           RFC 6749 4.1.2.1
    ├── LoginRequiredError          OIDC Core 3.1.2.6
    ├── InteractionRequiredError    OIDC Core 3.1.2.6
    ├── RequestNotSupportedError    OIDC Core 3.1.2.6
    ├── InvalidTokenError           RFC 6750 3.1 (401)
    ├── InsufficientScopeError      RFC 6750 3.1 (403)
    └── InvalidRedirectError        the client or redirect URI is unknown: never redirect
"""

from __future__ import annotations

from typing import ClassVar

from onedoor.errors import OneDoorError


class OAuthError(OneDoorError):
    """An OAuth 2.0 error response."""

    error: ClassVar[str] = "server_error"
    http_status = 400

    def __init__(self, description: str | None = None) -> None:
        super().__init__(description)
        self.description = self.message

    def __init_subclass__(cls) -> None:
        super().__init_subclass__()
        cls.code = cls.error

    def to_oauth(self) -> dict[str, str]:
        """The RFC 6749 section 5.2 JSON body."""
        return {"error": self.error, "error_description": self.description}


class InvalidRequestError(OAuthError):
    """The request is missing a parameter or is otherwise malformed (RFC 6749 5.2)."""

    error = "invalid_request"


class InvalidClientError(OAuthError):
    """Client authentication failed (RFC 6749 5.2)."""

    error = "invalid_client"
    http_status = 401


class InvalidGrantError(OAuthError):
    """The grant or refresh token is invalid, expired, revoked or reused (RFC 6749 5.2)."""

    error = "invalid_grant"


class UnauthorizedClientError(OAuthError):
    """The client may not use this grant or response type (RFC 6749 5.2)."""

    error = "unauthorized_client"


class UnsupportedGrantTypeError(OAuthError):
    """The grant type is not supported (RFC 6749 5.2)."""

    error = "unsupported_grant_type"


class UnsupportedResponseTypeError(OAuthError):
    """Only response_type=code is supported (RFC 6749 4.1.2.1)."""

    error = "unsupported_response_type"


class InvalidScopeError(OAuthError):
    """The requested scope is invalid or exceeds what the client may ask (RFC 6749 5.2)."""

    error = "invalid_scope"


class AccessDeniedError(OAuthError):
    """The user or the server denied the request (RFC 6749 4.1.2.1)."""

    error = "access_denied"


class LoginRequiredError(OAuthError):
    """prompt=none but the user must log in (OIDC Core 3.1.2.6)."""

    error = "login_required"


class InteractionRequiredError(OAuthError):
    """prompt=none but the request needs user interaction (OIDC Core 3.1.2.6)."""

    error = "interaction_required"


class RequestNotSupportedError(OAuthError):
    """Request objects are not supported (OIDC Core 3.1.2.6)."""

    error = "request_not_supported"


class InvalidTokenError(OAuthError):
    """The access token is missing, expired, revoked or malformed (RFC 6750 3.1)."""

    error = "invalid_token"
    http_status = 401


class InsufficientScopeError(OAuthError):
    """The access token lacks the scope this resource needs (RFC 6750 3.1)."""

    error = "insufficient_scope"
    http_status = 403


class InvalidRedirectError(OAuthError):
    """Unknown client or unregistered redirect URI: the error is shown, never redirected."""

    error = "invalid_request"
