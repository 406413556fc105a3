"""Errors of the OCSP responder, each with a stable ``code``.

    KeysError
    └── MalformedOcspRequestError   malformed_ocsp_request: answered as malformedRequest
"""

from __future__ import annotations

from keys.errors import KeysError


class MalformedOcspRequestError(KeysError):
    """The OCSP request cannot be parsed (RFC 6960 section 2.3, malformedRequest)."""

    code = "malformed_ocsp_request"
    http_status = 400
