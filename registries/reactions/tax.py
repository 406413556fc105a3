"""The tax office acts on deaths (a notice for the estate) and new enterprises (a TIN)."""

from __future__ import annotations

import random

from sqlalchemy.orm import Session

from exchange.events.envelope import LifeEvent
from exchange.events.outcomes import Outcome
from exchange.events.types import EventType
from registries.errors import RecordNotFoundError
from registries.reactions.handler import Handler
from registries.tax import service as tax
from schemas.identifiers import PersonId

_RANDOM = random.SystemRandom()


def on_death(session: Session, event: LifeEvent) -> Outcome:
    tin = tax.record_death_notice(
        session,
        person_id=PersonId.parse(event.subject_id),
        died_on=event.occurred_on,
        received_on=event.recorded_at.date(),
        source_event=f"urn:uuid:{event.event_id}",
    )
    if tin is None:
        return Outcome(
            "ໄດ້ແຈ້ງການເສຍຊີວິດໃຫ້ຫ້ອງການອາກອນແລ້ວ", "The tax office was notified of the death."
        )
    return Outcome(
        f"ໄດ້ແຈ້ງການເສຍຊີວິດໃຫ້ຫ້ອງການອາກອນແລ້ວ (TIN {tin})",
        f"The tax office was notified of the death (TIN {tin}).",
    )


def on_business_registration(session: Session, event: LifeEvent) -> Outcome:
    """Register the new enterprise as a taxpayer, its TIN taken from its registration number."""
    tin = event.subject_id[2:]
    while _tin_taken(session, tin):
        tin = f"{_RANDOM.randrange(10**10):010d}"
    tax.register_taxpayer(
        session,
        taxpayer={
            "tin": tin,
            "version": 1,
            "registrationNumber": event.subject_id,
            "nameRoman": event.payload["nameRoman"],
            "taxOffice": event.payload["districtCode"],
            "registeredOn": event.recorded_at.date().isoformat(),
            "status": "active",
        },
    )
    return Outcome(
        f"ໄດ້ຂຶ້ນທະບຽນອາກອນໃຫ້ວິສາຫະກິດແລ້ວ, ເລກ TIN {tin}",
        f"The enterprise was registered for tax with TIN {tin}.",
    )


def _tin_taken(session: Session, tin: str) -> bool:
    try:
        tax.get_taxpayer(session, tin=tin)
    except RecordNotFoundError:
        return False
    return True


HANDLERS: dict[EventType, Handler] = {
    EventType.death: on_death,
    EventType.business_registration: on_business_registration,
}
