"""Header names and the error body of the X-Road Message Protocol for REST 1.0 (section 4)."""

from __future__ import annotations

from typing import Final

CLIENT: Final = "X-Road-Client"
MESSAGE_ID: Final = "X-Road-Id"
USER_ID: Final = "X-Road-UserId"
ISSUE: Final = "X-Road-Issue"
SERVICE: Final = "X-Road-Service"
REQUEST_HASH: Final = "X-Road-Request-Hash"
ERROR: Final = "X-Road-Error"

# OneDoor's additions, carried end to end and passed to the provider's member system.
PURPOSE: Final = "X-OneDoor-Purpose"
CONSENT: Final = "X-OneDoor-Consent"
SUBJECT: Final = "X-OneDoor-Subject"

# Optional request headers that travel (signed) from the client to the provider's member system.
PASSED_THROUGH: Final = (USER_ID, ISSUE, PURPOSE, CONSENT, SUBJECT)

# Service codes the REST metadata protocol reserves (X-Road Service Metadata Protocol for REST).
LIST_METHODS: Final = "listMethods"
ALLOWED_METHODS: Final = "allowedMethods"
GET_OPENAPI: Final = "getOpenAPI"
METADATA_SERVICES: Final = frozenset({LIST_METHODS, ALLOWED_METHODS, GET_OPENAPI})

MAX_HEADER_VALUE: Final = 1024


def error_body(xroad_type: str, message: str, detail: str) -> dict[str, str]:
    """The JSON error body: ``{"type", "message", "detail"}``."""
    return {"type": xroad_type, "message": message, "detail": detail}
