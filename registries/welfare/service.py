"""Social-welfare service: child-allowance cases, opened once per child."""

from __future__ import annotations

import random
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from registries.documents import decode, encode, new_record_id
from registries.errors import DuplicateRecordError, RecordNotFoundError
from registries.welfare.models import WelfareChildAllowanceCase
from schemas.codec import JsonRecord
from schemas.identifiers import PersonId

RECORD_TYPE = "ChildAllowanceCase"
MONTHLY_AMOUNT_KIP = 150_000


def open_child_allowance_case(
    session: Session,
    *,
    child_id: PersonId,
    guardian_id: PersonId,
    opened_on: date,
    household_id: str | None = None,
    source_event: str | None = None,
    monthly_amount_kip: int = MONTHLY_AMOUNT_KIP,
    rng: random.Random | None = None,
) -> JsonRecord:
    """Open the case of a child; a second case for the same child is refused."""
    existing = session.scalar(
        select(WelfareChildAllowanceCase.case_id).where(
            WelfareChildAllowanceCase.child_id == child_id.value
        )
    )
    if existing is not None:
        raise DuplicateRecordError("this child already has a child-allowance case")
    case = {
        "caseId": new_record_id("CA", rng),
        "version": 1,
        "childId": child_id.value,
        "guardianId": guardian_id.value,
        **({"householdId": household_id} if household_id else {}),
        "openedOn": opened_on.isoformat(),
        "status": "open",
        "monthlyAmountKip": monthly_amount_kip,
        **({"sourceEvent": source_event} if source_event else {}),
    }
    data, document = encode(RECORD_TYPE, case)
    session.add(
        WelfareChildAllowanceCase(
            case_id=data["caseId"], child_id=data["childId"], status="open", document=document
        )
    )
    session.flush()
    return data


def case_for_child(session: Session, *, child_id: PersonId) -> JsonRecord:
    row = session.scalar(
        select(WelfareChildAllowanceCase).where(
            WelfareChildAllowanceCase.child_id == child_id.value
        )
    )
    if row is None:
        raise RecordNotFoundError("this child has no child-allowance case")
    return decode(RECORD_TYPE, row.document)


def get_case(session: Session, *, case_id: str) -> JsonRecord:
    row = session.scalar(
        select(WelfareChildAllowanceCase).where(WelfareChildAllowanceCase.case_id == case_id)
    )
    if row is None:
        raise RecordNotFoundError("no child-allowance case with this identifier")
    return decode(RECORD_TYPE, row.document)


def close_child_allowance_cases(
    session: Session, *, person_id: PersonId, reason: str
) -> list[str]:
    """Close the open cases whose child or guardian is ``person_id`` (e.g. on a death).

    Each closed case gets a new version with status ``closed`` and ``reason`` as its source
    event; returns the case ids closed.
    """
    # The guardian is held only in the document; its element text is an exact 12-digit id.
    guardian = f"<guardianId>{person_id.value}</guardianId>"
    rows = session.scalars(
        select(WelfareChildAllowanceCase)
        .where(
            WelfareChildAllowanceCase.status != "closed",
            (WelfareChildAllowanceCase.child_id == person_id.value)
            | WelfareChildAllowanceCase.document.contains(guardian),
        )
        .order_by(WelfareChildAllowanceCase.case_id)
    )
    closed: list[str] = []
    for row in rows:
        data = decode(RECORD_TYPE, row.document)
        if person_id.value not in (data["childId"], data["guardianId"]):
            continue
        data.update(version=data["version"] + 1, status="closed", sourceEvent=reason)
        data, row.document = encode(RECORD_TYPE, data)
        row.status = "closed"
        closed.append(data["caseId"])
    session.flush()
    return closed
