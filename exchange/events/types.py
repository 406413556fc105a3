"""The life-event types, their XSD record types and the X-Road services that publish them."""

from __future__ import annotations

from enum import StrEnum

from exchange.events.errors import InvalidEventError


class EventType(StrEnum):
    birth = "birth"
    death = "death"
    marriage = "marriage"
    divorce = "divorce"
    change_of_address = "change-of-address"
    business_registration = "business-registration"


RECORD_TYPE: dict[EventType, str] = {
    EventType.birth: "BirthEvent",
    EventType.death: "DeathEvent",
    EventType.marriage: "MarriageEvent",
    EventType.divorce: "DivorceEvent",
    EventType.change_of_address: "ChangeOfAddressEvent",
    EventType.business_registration: "BusinessRegistrationEvent",
}
EVENT_OF_RECORD_TYPE = {name: kind for kind, name in RECORD_TYPE.items()}

CIVIL_REGISTRY = "LA/GOV/MOHA/civil"
RESIDENCE_REGISTRY = "LA/GOV/MOHA/residence"
BUSINESS_REGISTRY = "LA/GOV/MOIC/business"

# The member subsystem publishing each event; a legal basis names its feed (service_of).
PUBLISHER: dict[EventType, str] = {
    EventType.birth: CIVIL_REGISTRY,
    EventType.death: CIVIL_REGISTRY,
    EventType.marriage: CIVIL_REGISTRY,
    EventType.divorce: CIVIL_REGISTRY,
    EventType.change_of_address: RESIDENCE_REGISTRY,
    EventType.business_registration: BUSINESS_REGISTRY,
}


def event_type(value: str) -> EventType:
    """Parse an event type name; raises InvalidEventError."""
    try:
        return EventType(value)
    except ValueError:
        raise InvalidEventError(f"unknown event type {value[:40]!r}") from None


def service_of(kind: EventType) -> str:
    """The X-Road service id of the event feed, e.g. ``LA/GOV/MOHA/civil/birthEvent/v1``."""
    words = kind.value.split("-")
    name = words[0] + "".join(word.capitalize() for word in words[1:])
    return f"{PUBLISHER[kind]}/{name}Event/v1"
