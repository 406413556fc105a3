"""Social welfare acts on births (opens the child allowance) and deaths (stops it)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from exchange.events.envelope import LifeEvent
from exchange.events.outcomes import Outcome
from exchange.events.types import EventType
from registries.reactions.handler import Handler
from registries.welfare import service as welfare
from schemas.identifiers import PersonId


def on_birth(session: Session, event: LifeEvent) -> Outcome:
    """Open the child-allowance case, with the mother (else the father) as guardian."""
    guardian = event.payload.get("motherId") or event.payload.get("fatherId")
    if guardian is None:
        return Outcome(
            "ບໍ່ມີຜູ້ປົກຄອງໃນໃບແຈ້ງເກີດ; ຫ້ອງການສະຫວັດດີການຈະຕິດຕໍ່",
            "No parent is named on the birth record; the welfare office will follow up.",
        )
    case = welfare.open_child_allowance_case(
        session,
        child_id=PersonId.parse(event.subject_id),
        guardian_id=PersonId.parse(guardian),
        opened_on=event.recorded_at.date(),
        source_event=f"urn:uuid:{event.event_id}",
    )
    return Outcome(
        f"ໄດ້ເປີດແຟ້ມເງິນອຸດໜູນເດັກ {case['caseId']} ແລ້ວ",
        f"Child-allowance case {case['caseId']} was opened.",
    )


def on_death(session: Session, event: LifeEvent) -> Outcome:
    """Close the allowance cases of the deceased child, or where the deceased was guardian."""
    closed = welfare.close_child_allowance_cases(
        session,
        person_id=PersonId.parse(event.subject_id),
        reason=f"urn:uuid:{event.event_id}",
    )
    if not closed:
        return Outcome("ບໍ່ມີແຟ້ມເງິນອຸດໜູນເດັກທີ່ຕ້ອງປິດ", "No child-allowance case needed closing.")
    ids = ", ".join(closed)
    return Outcome(f"ໄດ້ປິດແຟ້ມເງິນອຸດໜູນເດັກ {ids} ແລ້ວ", f"Child-allowance case(s) {ids} were closed.")


HANDLERS: dict[EventType, Handler] = {EventType.birth: on_birth, EventType.death: on_death}
