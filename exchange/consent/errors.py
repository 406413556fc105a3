"""Errors of the consent service, each with a stable ``code``.

OneDoorError
└── ConsentError                      consent_error (400)
    ├── ConsentNotFoundError          not_found (404): absent, or another subject's
    ├── IllegalTransitionError        consent_illegal_transition (409)
    ├── UnknownPurposeError           consent_unknown_purpose (400)
    ├── InvalidConsentRequestError    consent_invalid (400)
    ├── ConsentSignatureInvalidError  consent_signature_invalid (400)
    ├── ConsentRefused                consent_refused (403), with a RefusalReason
    ├── UnauthenticatedError          unauthenticated (401)
    └── PreviewError                  preview_* (409) / not_found (404)
"""

from __future__ import annotations

from enum import StrEnum

from onedoor.errors import NotFoundError, OneDoorError


class RefusalReason(StrEnum):
    """Why :func:`exchange.consent.decision.decide` refused; the values are stable codes."""

    NO_BASIS = "no_basis"
    CONSENT_NOT_FOUND = "consent_not_found"
    CONSENT_OTHER_SUBJECT = "consent_other_subject"
    CONSENT_NOT_YET_VALID = "consent_not_yet_valid"
    CONSENT_EXPIRED = "consent_expired"
    CONSENT_REVOKED = "consent_revoked"
    CONSENT_PAUSED = "consent_paused"
    CONSENT_USED_UP = "consent_used_up"
    CONSENT_SIGNATURE_INVALID = "consent_signature_invalid"
    PURPOSE_MISMATCH = "purpose_mismatch"
    CONSUMER_MISMATCH = "consumer_mismatch"
    PROVIDER_MISMATCH = "provider_mismatch"
    DATA_ITEMS_NOT_COVERED = "data_items_not_covered"
    LEGAL_BASIS_NOT_IN_FORCE = "legal_basis_not_in_force"


class ConsentError(OneDoorError):
    """The consent service refused the request."""

    code = "consent_error"
    http_status = 400


class ConsentNotFoundError(ConsentError, NotFoundError):
    """No such consent."""

    # Same code and message whether the consent is absent or another subject's (no IDOR oracle).
    code = "not_found"
    http_status = 404


class IllegalTransitionError(ConsentError):
    """This state change is not allowed for the consent's current state."""

    code = "consent_illegal_transition"
    http_status = 409


class UnknownPurposeError(ConsentError):
    """The purpose is not in the purpose catalogue."""

    code = "consent_unknown_purpose"


class InvalidConsentRequestError(ConsentError):
    """The consent request is malformed."""

    code = "consent_invalid"


class ConsentSignatureInvalidError(ConsentError):
    """The consent artefact's signature does not verify."""

    code = "consent_signature_invalid"


class UnauthenticatedError(ConsentError):
    """Sign in first."""

    code = "unauthenticated"
    http_status = 401


class ConsentRefused(ConsentError):  # noqa: N818 - the name the gateway contract uses
    """The data request has no valid consent or legal basis."""

    code = "consent_refused"
    http_status = 403

    def __init__(self, reason: RefusalReason, message: str | None = None) -> None:
        self.reason = reason
        super().__init__(message or f"request refused: {reason.value}")

    def to_body(self) -> dict[str, dict[str, str]]:
        body = super().to_body()
        body["error"]["reason"] = self.reason.value
        return body


class PreviewError(ConsentError):
    """The previewed data cannot be used."""

    code = "preview_error"
    http_status = 409


class PreviewNotFoundError(PreviewError, NotFoundError):
    """No such preview."""

    code = "not_found"
    http_status = 404


class PreviewNotApprovedError(PreviewError):
    """The citizen has not approved this preview yet."""

    code = "preview_not_approved"


class PreviewStoppedError(PreviewError):
    """The citizen stopped this preview; its data must not be used."""

    code = "preview_stopped"


class PreviewExpiredError(PreviewError):
    """The preview has expired; fetch the data again."""

    code = "preview_expired"


class PreviewAlreadyDecidedError(PreviewError):
    """The citizen has already approved or stopped this preview."""

    code = "preview_already_decided"
