"""Errors of the remote signing service, each with a stable ``code`` (CSC API v2 section 10.1).

    SigningServiceError               signing_error (OneDoorError)
    ├── NotEligibleError              not_eligible: the account may not hold a signing key
    ├── CredentialExistsError         credential_exists: an active credential already exists
    ├── UnknownCredentialError        invalid_credential: no such credential for this user
    ├── CredentialRevokedError        credential_revoked: the certificate was revoked
    ├── InvalidOtpError               invalid_otp: wrong, replayed or throttled second factor
    ├── InvalidSadError               invalid_sad: SAD unknown, expired, used or not for this hash
    ├── InvalidHashError              invalid_hash: hashes malformed or of the wrong algorithm
    ├── UnsupportedAlgorithmError     invalid_algorithm: signAlgo / hashAlgorithmOID unsupported
    ├── KeyUnavailableError           key_unavailable: the sealed key cannot be opened
    ├── SignatureCreationError        signature_creation_failed: a PDF or CMS could not be signed
    └── UnreadableDocumentError       unreadable_document: not a PDF / CMS we can read

Verification failures are reported as ETSI results (:mod:`idp.signing.validation`), never as
exceptions, so a tampered document gives a report rather than a stack trace.
"""

from __future__ import annotations

from onedoor.errors import OneDoorError


class SigningServiceError(OneDoorError):
    """The signing service refused or failed."""

    code = "signing_error"
    http_status = 400


class NotEligibleError(SigningServiceError):
    """Only citizens proofed at level substantial or high get a signing key."""

    code = "not_eligible"
    http_status = 403


class CredentialExistsError(SigningServiceError):
    """The account already has an active signing credential."""

    code = "credential_exists"
    http_status = 409


class UnknownCredentialError(SigningServiceError):
    """No such credential for this user."""

    code = "invalid_credential"
    http_status = 400


class CredentialRevokedError(SigningServiceError):
    """The signing certificate of this credential is revoked; it signs nothing any more."""

    code = "credential_revoked"
    http_status = 400


class InvalidOtpError(SigningServiceError):
    """The one-time password is wrong, already used, or too many attempts were made."""

    code = "invalid_otp"
    http_status = 400


class InvalidSadError(SigningServiceError):
    """The signature activation data is unknown, expired, used up or not for these hashes."""

    code = "invalid_sad"
    http_status = 400


class InvalidHashError(SigningServiceError):
    """The hashes are missing, not base64, or not of the announced algorithm."""

    code = "invalid_hash"
    http_status = 400


class UnsupportedAlgorithmError(SigningServiceError):
    """Only ECDSA with SHA-256 over P-256 is supported."""

    code = "invalid_algorithm"
    http_status = 400


class KeyUnavailableError(SigningServiceError):
    """The signing key cannot be opened (wrong sealing key or tampered record)."""

    code = "key_unavailable"
    http_status = 500


class SignatureCreationError(SigningServiceError):
    """The signature could not be created; nothing weaker was produced instead."""

    code = "signature_creation_failed"
    http_status = 502


class UnreadableDocumentError(SigningServiceError):
    """The file is not a PDF or CMS signature that can be read."""

    code = "unreadable_document"
    http_status = 400
