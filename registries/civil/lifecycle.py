"""Lifecycle of a civil-registration record: declared, validated, registered, certified."""

from __future__ import annotations

from enum import StrEnum

from registries.errors import InvalidTransitionError, RecordNotFoundError


class RecordState(StrEnum):
    declared = "declared"
    validated = "validated"
    registered = "registered"
    certified = "certified"


class RecordKind(StrEnum):
    birth = "birth"
    death = "death"
    marriage = "marriage"


ORDER = (RecordState.declared, RecordState.validated, RecordState.registered, RecordState.certified)

RECORD_TYPE = {
    RecordKind.birth: "BirthRecord",
    RecordKind.death: "DeathRecord",
    RecordKind.marriage: "MarriageRecord",
}
ID_PREFIX = {RecordKind.birth: "BR", RecordKind.death: "DR", RecordKind.marriage: "MR"}
CERTIFICATE_PREFIX = {RecordKind.birth: "BC", RecordKind.death: "DC", RecordKind.marriage: "MC"}


def kind_of_record_id(record_id: str) -> RecordKind:
    for kind, prefix in ID_PREFIX.items():
        if record_id.startswith(prefix):
            return kind
    raise RecordNotFoundError("no civil record with this identifier")


def check_transition(current: RecordState, target: RecordState) -> None:
    """Only one step forward at a time; a record never goes back."""
    if ORDER.index(target) != ORDER.index(current) + 1:
        raise InvalidTransitionError(f"a {current} record cannot become {target}")
