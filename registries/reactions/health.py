"""Health acts on births: the newborn's immunisation schedule (national EPI timetable)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from exchange.events.envelope import LifeEvent
from exchange.events.outcomes import Outcome
from exchange.events.types import EventType
from registries.health import service as health
from registries.reactions.handler import Handler
from schemas.identifiers import PersonId


def on_birth(session: Session, event: LifeEvent) -> Outcome:
    schedule = health.schedule_immunisations(
        session, person_id=PersonId.parse(event.subject_id), birth_date=event.occurred_on
    )
    doses = len(schedule["doses"]["dose"])
    return Outcome(
        f"ໄດ້ສ້າງຕາຕະລາງສັກຢາກັນພະຍາດ {doses} ເຂັມ ແລ້ວ",
        f"An immunisation schedule of {doses} doses was created.",
    )


HANDLERS: dict[EventType, Handler] = {EventType.birth: on_birth}
