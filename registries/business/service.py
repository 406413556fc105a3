"""Business-registry service: register and look up enterprises."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from exchange.events.sources import business_registered
from registries.business.models import BusinessRegistrationRow
from registries.documents import decode, encode
from registries.errors import DuplicateRecordError, RecordNotFoundError
from schemas.codec import JsonRecord
from schemas.identifiers import PersonId

RECORD_TYPE = "BusinessRegistration"


def register_business(session: Session, *, registration: Mapping[str, Any]) -> JsonRecord:
    data, document = encode(RECORD_TYPE, registration)
    if _row(session, data["registrationNumber"]) is not None:
        raise DuplicateRecordError("an enterprise with this registration number exists")
    session.add(BusinessRegistrationRow(**business_columns(data), document=document))
    session.flush()
    # Tell us once: the registration is published in this transaction (outbox).
    business_registered(session, registration=data)
    return data


def business_columns(data: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "registration_number": data["registrationNumber"],
        "owner_id": data["ownerId"],
        "status": data["status"],
    }


def get_business(session: Session, *, registration_number: str) -> JsonRecord:
    row = _row(session, registration_number)
    if row is None:
        raise RecordNotFoundError("no enterprise with this registration number")
    return decode(RECORD_TYPE, row.document)


def businesses_of(session: Session, *, owner_id: PersonId) -> list[JsonRecord]:
    rows = session.scalars(
        select(BusinessRegistrationRow)
        .where(BusinessRegistrationRow.owner_id == owner_id.value)
        .order_by(BusinessRegistrationRow.registration_number)
    )
    return [decode(RECORD_TYPE, row.document) for row in rows]


def _row(session: Session, number: str) -> BusinessRegistrationRow | None:
    return session.scalar(
        select(BusinessRegistrationRow).where(BusinessRegistrationRow.registration_number == number)
    )
