"""The portal's errors; each renders as a translated page for browsers, the standard body otherwise.

    PortalError                     code, http_status
    ├── CsrfError                   403: a state-changing request without a valid token
    ├── InvalidFormError            400: a form field is missing or malformed
    ├── AlreadyDoneError            409: the form was already submitted once
    ├── RequestTooLargeError        413: a form body larger than the portal accepts
    ├── SignInError                 400: the sign-in response was refused (one opaque error)
    ├── SignInRequiredError         401: the page needs a signed-in user
    ├── NotPermittedError           403: the signed-in user may not use this page
    └── NotAvailableYetError        503: a feature whose back end is not built or configured
"""

from __future__ import annotations

from onedoor.errors import OneDoorError


class PortalError(OneDoorError):
    """The portal could not complete the request."""

    code = "portal_error"
    http_status = 500


class CsrfError(PortalError):
    """The form is missing its security token or the token is not valid for this session."""

    code = "csrf_failed"
    http_status = 403


class InvalidFormError(PortalError):
    """A form field is missing or malformed."""

    code = "invalid_form"
    http_status = 400


class AlreadyDoneError(PortalError):
    """This form was already submitted."""

    code = "already_done"
    http_status = 409


class RequestTooLargeError(PortalError):
    """The request body is larger than the portal accepts."""

    code = "payload_too_large"
    http_status = 413


class SignInError(PortalError):
    """The sign-in could not be completed."""

    code = "sign_in_failed"
    http_status = 400


class SignInRequiredError(PortalError):
    """Please sign in to see this page."""

    code = "sign_in_required"
    http_status = 401


class NotPermittedError(PortalError):
    """This page is not for your kind of account."""

    code = "not_permitted"
    http_status = 403


class NotAvailableYetError(PortalError):
    """This service is not available yet."""

    code = "not_available"
    http_status = 503
