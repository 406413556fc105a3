"""Residence service: a person's current address and the history of their moves."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from exchange.events.sources import residence_changed
from registries.documents import decode, encode
from registries.errors import InconsistentRecordError, RecordNotFoundError
from registries.residence.models import ResidenceRecord
from schemas.codec import JsonRecord
from schemas.identifiers import PersonId

RECORD_TYPE = "Residence"


def set_residence(session: Session, *, residence: Mapping[str, Any]) -> JsonRecord:
    """Record where a person lives from ``validFrom``; the previous address becomes history."""
    person_id = PersonId.parse(str(residence.get("personId", ""))).value
    current = _current(session, person_id)
    version = 1 if current is None else current.version + 1
    data, document = encode(RECORD_TYPE, {**residence, "version": version})
    if current is not None:
        if date.fromisoformat(data["validFrom"]) < current.valid_from:
            raise InconsistentRecordError("a move cannot predate the current address")
        current.is_current = False
        session.flush()
    session.add(ResidenceRecord(**residence_columns(data), document=document))
    session.flush()
    if current is not None:
        # Tell us once: a move is published in this transaction (outbox).
        residence_changed(session, residence=data, previous_village_code=current.village_code)
    return data


def residence_columns(data: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "person_id": data["personId"],
        "version": data["version"],
        "village_code": data["address"]["villageCode"],
        "valid_from": date.fromisoformat(data["validFrom"]),
        "is_current": True,
    }


def current_residence(session: Session, *, person_id: PersonId) -> JsonRecord:
    row = _current(session, person_id.value)
    if row is None:
        raise RecordNotFoundError("no residence is recorded for this person")
    return decode(RECORD_TYPE, row.document)


def residence_history(session: Session, *, person_id: PersonId) -> list[JsonRecord]:
    rows = session.scalars(
        select(ResidenceRecord)
        .where(ResidenceRecord.person_id == person_id.value)
        .order_by(ResidenceRecord.version)
    )
    return [decode(RECORD_TYPE, row.document) for row in rows]


def _current(session: Session, person_id: str) -> ResidenceRecord | None:
    return session.scalar(
        select(ResidenceRecord).where(
            ResidenceRecord.person_id == person_id, ResidenceRecord.is_current
        )
    )
