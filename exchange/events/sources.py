"""What each registry publishes when a record is registered: its JSON form -> a life event.

The registries call these in the transaction that registers the record (the outbox pattern);
the payload keeps only what subscribers act on (no names, no cause of death).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from exchange.events.envelope import LifeEvent
from exchange.events.outbox import publish
from exchange.events.types import EventType


def civil_record_registered(
    session: Session,
    *,
    kind: str,
    record: Mapping[str, Any],
    recorded_at: datetime | None = None,
) -> LifeEvent:
    """A birth, death, marriage or divorce record reached ``registered``."""
    event_type = EventType(kind)
    source = record["recordId"]
    if event_type is EventType.birth:
        parents = {key[:-2]: record[key] for key in ("motherId", "fatherId") if key in record}
        payload = {"sex": record["sex"], "birthDistrict": record["birthDistrict"]}
        payload.update({f"{role}Id": person for role, person in parents.items()})
        return publish(
            session,
            event_type=event_type,
            subject_id=record["childId"],
            occurred_on=date.fromisoformat(record["birthDate"]),
            source_record_id=source,
            payload=payload,
            parties=parents,
            recorded_at=recorded_at,
        )
    if event_type is EventType.death:
        return publish(
            session,
            event_type=event_type,
            subject_id=record["personId"],
            occurred_on=date.fromisoformat(record["deathDate"]),
            source_record_id=source,
            payload={"deathDistrict": record["deathDistrict"]},
            recorded_at=recorded_at,
        )
    word = event_type.value  # marriage or divorce
    return publish(
        session,
        event_type=event_type,
        subject_id=record["spouseAId"],
        occurred_on=date.fromisoformat(record[f"{word}Date"]),
        source_record_id=source,
        payload={"spouseId": record["spouseBId"], f"{word}District": record[f"{word}District"]},
        parties={"spouse": record["spouseBId"]},
        recorded_at=recorded_at,
    )


def residence_changed(
    session: Session,
    *,
    residence: Mapping[str, Any],
    previous_village_code: str | None,
    recorded_at: datetime | None = None,
) -> LifeEvent:
    """A person's new address was recorded (a move, not their first address)."""
    payload: dict[str, Any] = {"address": dict(residence["address"])}
    if residence.get("householdId"):
        payload["householdId"] = residence["householdId"]
    if previous_village_code:
        payload["previousVillageCode"] = previous_village_code
    return publish(
        session,
        event_type=EventType.change_of_address,
        subject_id=residence["personId"],
        occurred_on=date.fromisoformat(residence["validFrom"]),
        source_record_id=None,
        payload=payload,
        recorded_at=recorded_at,
    )


def business_registered(
    session: Session, *, registration: Mapping[str, Any], recorded_at: datetime | None = None
) -> LifeEvent:
    """An enterprise was entered in the business registry."""
    return publish(
        session,
        event_type=EventType.business_registration,
        subject_id=registration["registrationNumber"],
        occurred_on=date.fromisoformat(registration["registeredOn"]),
        source_record_id=registration["registrationNumber"],
        payload={
            "ownerId": registration["ownerId"],
            "nameRoman": registration["nameRoman"],
            "sector": registration["sector"],
            "districtCode": registration["address"]["districtCode"],
        },
        parties={"owner": registration["ownerId"]},
        recorded_at=recorded_at,
    )
