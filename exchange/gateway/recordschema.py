"""XSD validation of registry records at the gateway, with the validators of ``schemas.codec``.

A body is a record in its canonical XML (``application/xml``) or its JSON form
(``application/json``); either is checked against the record type's XSD. An empty request body
(a GET) has nothing to check; an empty or otherwise typed response body is refused.
"""

from __future__ import annotations

import json

from exchange.gateway.config import BodyValidator, Direction
from exchange.xroad.errors import SchemaValidationError
from onedoor.errors import OneDoorError
from schemas.catalogue import record_type
from schemas.codec import build_element, from_xml, json_to_element
from schemas.errors import SchemaInvalidError


def record_validator(name: str) -> BodyValidator:
    """A validator for bodies that are ``name`` records (schemas catalogue name, e.g. Person)."""
    record_type(name)  # unknown names fail when the gateway is configured, not per request

    def validate(*, direction: Direction, body: bytes, content_type: str | None) -> None:
        if direction == "request" and not body:
            return
        media = (content_type or "").split(";", 1)[0].strip().lower()
        try:
            if media in ("application/xml", "text/xml") or media.endswith("+xml"):
                from_xml(name, body)
            elif media == "application/json" or media.endswith("+json"):
                _validate_json(name, body)
            else:
                raise SchemaValidationError(f"{direction} body is not an XML or JSON {name}")
        except OneDoorError as exc:
            if isinstance(exc, SchemaValidationError):
                raise
            raise SchemaValidationError(f"{direction} body: {exc.message}") from exc

    return validate


def _validate_json(name: str, body: bytes) -> None:
    try:
        data = json.loads(body)
    except ValueError:
        raise SchemaValidationError(f"body is not a JSON {name}") from None
    if not isinstance(data, dict):
        raise SchemaValidationError(f"body is not a JSON {name}")
    try:
        # Canonical key order (what the registries send) takes the fast path.
        build_element(name, data)
    except (SchemaInvalidError, ValueError, TypeError):
        json_to_element(name, data)
