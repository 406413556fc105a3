"""OneDoor's gateway errors beyond X-Road's: consent refusals, and peer errors with their detail.

    XRoadError
    ├── ConsentRefusedError    consent_refused   Server.ServerProxy.ConsentRefused (OneDoor)
    ├── CertValidationError                      (OCSP status, all OneDoor codes)
    │   ├── CertificateRevokedError            certificate_revoked    CertificateRevoked
    │   ├── CertificateStatusUnknownError      certificate_status_unknown
    │   ├── CertificateStatusUnavailableError  certificate_status_unavailable
    │   └── InvalidOcspResponseError           invalid_ocsp_response
    └── RemoteXRoadError
        └── RemoteDetailedError  a peer's refusal, keeping its ``detail`` code for the client
"""

from __future__ import annotations

from exchange.xroad.errors import CertValidationError, RemoteXRoadError, XRoadError


class ConsentRefusedError(XRoadError):
    """The request about a person rests on no valid consent or legal basis."""

    code = "consent_refused"
    http_status = 403
    xroad_code = "ConsentRefused"

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(f"consent refused: {reason}")

    @property
    def detail(self) -> str:
        """The body's ``detail``: the refusal's stable reason code."""
        return self.reason


class RemoteDetailedError(RemoteXRoadError):
    """A refusal by the peer gateway, forwarded with its type and its ``detail`` code."""

    def __init__(self, xroad_error: str, message: str, *, status: int, detail: str) -> None:
        super().__init__(xroad_error, message, status=status)
        self.detail = detail


class CertificateRevokedError(CertValidationError):
    """The certificate's OCSP status is revoked (RFC 6960 section 2.2)."""

    code = "certificate_revoked"
    http_status = 403
    xroad_code = "CertificateRevoked"


class CertificateStatusUnknownError(CertValidationError):
    """The OCSP responder does not know the certificate (RFC 6960 section 2.2, unknown)."""

    code = "certificate_status_unknown"
    http_status = 403
    xroad_code = "CertificateStatusUnknown"


class CertificateStatusUnavailableError(CertValidationError):
    """No fresh OCSP response for the certificate: the responder is unreachable (fail closed)."""

    code = "certificate_status_unavailable"
    http_status = 503
    xroad_code = "CertificateStatusUnavailable"


class InvalidOcspResponseError(CertValidationError):
    """The OCSP response is unsigned, forged, stale or answers another question."""

    code = "invalid_ocsp_response"
    http_status = 502
    xroad_code = "InvalidOcspResponse"
