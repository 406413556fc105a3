"""Errors of the keys component, each with a stable ``code``.

    KeysError                          keys_error
    ├── PkiNotInitialisedError         pki_not_initialised (503): run ``onedoor keys init``
    ├── PkiUnavailableError            pki_unavailable (503): keys cannot be used (HTTP side)
    ├── PkiInconsistentError           pki_inconsistent: half-initialised or mismatched files
    ├── KeyPassphraseError             key_passphrase_wrong: a key does not decrypt
    ├── PkiFileUnreadableError         pki_file_unreadable: missing, corrupt or not a file
    ├── UnknownCaError                 unknown_ca (404)
    ├── CertificateNotFoundError       certificate_not_found (404)
    ├── CertificateAlreadyRevokedError certificate_already_revoked (409)
    ├── InvalidMemberIdError           invalid_member_id (400)
    └── InvalidCertificateRequestError invalid_certificate_request (400): bad key or host name
"""

from __future__ import annotations

from onedoor.errors import OneDoorError


class KeysError(OneDoorError):
    """The PKI failed."""

    code = "keys_error"
    http_status = 500


class PkiNotInitialisedError(KeysError):
    """The PKI is not initialised; run `onedoor keys init`."""

    code = "pki_not_initialised"
    http_status = 503


class PkiUnavailableError(KeysError):
    """The PKI cannot be used at the moment."""

    code = "pki_unavailable"
    http_status = 503


class PkiInconsistentError(KeysError):
    """The PKI directory is half-initialised or its files do not belong together."""

    code = "pki_inconsistent"


class KeyPassphraseError(KeysError):
    """A private key cannot be decrypted with the configured passphrase."""

    code = "key_passphrase_wrong"


class PkiFileUnreadableError(KeysError):
    """A key or certificate file cannot be read or parsed."""

    code = "pki_file_unreadable"


class UnknownCaError(KeysError):
    """No certification authority of that name."""

    code = "unknown_ca"
    http_status = 404


class CertificateNotFoundError(KeysError):
    """No certificate with that issuer and serial number."""

    code = "certificate_not_found"
    http_status = 404


class CertificateAlreadyRevokedError(KeysError):
    """The certificate is already revoked."""

    code = "certificate_already_revoked"
    http_status = 409


class InvalidMemberIdError(KeysError):
    """A member identifier is not of the form INSTANCE/CLASS/MEMBER."""

    code = "invalid_member_id"
    http_status = 400


class InvalidCertificateRequestError(KeysError):
    """A certificate cannot be issued for this key, name or host."""

    code = "invalid_certificate_request"
    http_status = 400
