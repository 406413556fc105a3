"""Tax-administration service: register and look up taxpayers."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from registries.documents import decode, encode
from registries.errors import DuplicateRecordError, RecordNotFoundError
from registries.tax.models import TaxDeathNotice, TaxTaxpayer
from schemas.codec import JsonRecord
from schemas.identifiers import PersonId

RECORD_TYPE = "TaxpayerRecord"


def register_taxpayer(session: Session, *, taxpayer: Mapping[str, Any]) -> JsonRecord:
    data, document = encode(RECORD_TYPE, taxpayer)
    if _row(session, data["tin"]) is not None:
        raise DuplicateRecordError("a taxpayer with this TIN exists")
    session.add(TaxTaxpayer(**taxpayer_columns(data), document=document))
    session.flush()
    return data


def taxpayer_columns(data: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "tin": data["tin"],
        "person_id": data.get("personId"),
        "registration_number": data.get("registrationNumber"),
    }


def get_taxpayer(session: Session, *, tin: str) -> JsonRecord:
    row = _row(session, tin)
    if row is None:
        raise RecordNotFoundError("no taxpayer with this TIN")
    return decode(RECORD_TYPE, row.document)


def taxpayer_for_person(session: Session, *, person_id: PersonId) -> JsonRecord:
    row = session.scalar(select(TaxTaxpayer).where(TaxTaxpayer.person_id == person_id.value))
    if row is None:
        raise RecordNotFoundError("this person is not a registered taxpayer")
    return decode(RECORD_TYPE, row.document)


def _row(session: Session, tin: str) -> TaxTaxpayer | None:
    return session.scalar(select(TaxTaxpayer).where(TaxTaxpayer.tin == tin))


def record_death_notice(
    session: Session, *, person_id: PersonId, died_on: date, received_on: date, source_event: str
) -> str | None:
    """Note that a person died, once; returns their TIN if they are a taxpayer."""
    if session.scalar(
        select(TaxDeathNotice.id).where(TaxDeathNotice.person_id == person_id.value)
    ):
        raise DuplicateRecordError("this death was already notified to the tax office")
    tin = session.scalar(select(TaxTaxpayer.tin).where(TaxTaxpayer.person_id == person_id.value))
    session.add(
        TaxDeathNotice(
            person_id=person_id.value,
            died_on=died_on,
            tin=tin,
            received_on=received_on,
            source_event=source_event[:200],
        )
    )
    session.flush()
    return tin
