"""OCSP over HTTP: media types and the GET form of a request (RFC 6960 appendix A.1)."""

from __future__ import annotations

import base64
import binascii
import re

from keys.ocsp.errors import MalformedOcspRequestError
from keys.ocsp.request import MAX_REQUEST_BYTES

OCSP_REQUEST = "application/ocsp-request"
OCSP_RESPONSE = "application/ocsp-response"
_BASE64 = re.compile(r"[A-Za-z0-9+/\-_]*={0,2}")


def decode_get_request(encoded: str) -> bytes:
    """The DER request inside ``GET {url}/{url-encoding of base64 of DER}`` (already unquoted)."""
    if len(encoded) > MAX_REQUEST_BYTES * 2 or not _BASE64.fullmatch(encoded):
        raise MalformedOcspRequestError("the GET path is not a base64 OCSP request")
    # Some clients use the URL-safe alphabet or drop the padding; both are unambiguous.
    text = encoded.rstrip("=").replace("-", "+").replace("_", "/")
    try:
        return base64.b64decode(text + "=" * (-len(text) % 4), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise MalformedOcspRequestError("the GET path is not a base64 OCSP request") from exc
