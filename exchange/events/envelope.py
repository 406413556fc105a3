"""A life event in memory, and its XML form (``urn:onedoor:events:<type>:1``)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from lxml import etree

from exchange.events.errors import InvalidEventError
from exchange.events.types import EVENT_OF_RECORD_TYPE, RECORD_TYPE, EventType
from schemas.catalogue import record_type_of
from schemas.codec import build_element, serialize, validate_element
from schemas.errors import SchemaInvalidError, UnknownRecordTypeError, XmlRefusedError
from schemas.safe_xml import parse_xml

_REFUSED = (XmlRefusedError, SchemaInvalidError, UnknownRecordTypeError)
_HEADER = ("eventId", "subjectId", "occurredOn", "recordedAt", "sourceRecordId")


@dataclass(frozen=True)
class LifeEvent:
    """One event: header fields, then the type's payload in XSD order (JSON form)."""

    event_id: str
    event_type: EventType
    subject_id: str
    occurred_on: date
    recorded_at: datetime
    source_record_id: str | None
    payload: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "eventId": self.event_id,
            "subjectId": self.subject_id,
            "occurredOn": self.occurred_on.isoformat(),
            "recordedAt": format_timestamp(self.recorded_at),
            **({"sourceRecordId": self.source_record_id} if self.source_record_id else {}),
            **self.payload,
        }

    def to_xml(self) -> bytes:
        """The canonical XML, validated against the event type's XSD."""
        return serialize(self.element())

    def element(self) -> etree._Element:
        try:
            return build_element(RECORD_TYPE[self.event_type], self.to_json())
        except _REFUSED as exc:
            raise InvalidEventError(f"event does not match its schema: {exc.message}") from exc


def new_event_id() -> str:
    """A random UUID (RFC 9562 section 5.4): stable for the event's whole life."""
    return str(uuid.uuid4())


def format_timestamp(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise InvalidEventError("event times must be timezone-aware")
    text = moment.astimezone(UTC).isoformat(timespec="microseconds")
    return text.replace("+00:00", "Z")


def parse_event(document: bytes) -> LifeEvent:
    """Parse untrusted event XML of any event type; raises InvalidEventError."""
    try:
        element = parse_xml(document)
        kind = record_type_of(str(element.tag))
        event_type = EVENT_OF_RECORD_TYPE.get(kind.name)
        if event_type is None:
            raise InvalidEventError("the document is a record, not a life event")
        validate_element(kind.name, element)
    except _REFUSED as exc:
        raise InvalidEventError(f"not a valid life event: {exc.message}") from exc
    # Valid event documents are flat but for an address: no lists, no attributes, text leaves.
    data = {child.tag: _value(child) for child in element if isinstance(child.tag, str)}
    return LifeEvent(
        event_id=data["eventId"],
        event_type=event_type,
        subject_id=data["subjectId"],
        occurred_on=date.fromisoformat(data["occurredOn"]),
        recorded_at=datetime.fromisoformat(data["recordedAt"]),
        source_record_id=data.get("sourceRecordId"),
        payload={key: value for key, value in data.items() if key not in _HEADER},
    )


def _value(element: etree._Element) -> Any:
    children = [child for child in element if isinstance(child.tag, str)]
    if children:
        return {str(child.tag): _value(child) for child in children}
    return element.text or ""
