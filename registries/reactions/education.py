"""Education acts on births: the district's primary-school intake forecast."""

from __future__ import annotations

from sqlalchemy.orm import Session

from exchange.events.envelope import LifeEvent
from exchange.events.outcomes import Outcome
from exchange.events.types import EventType
from registries.education import service as education
from registries.reactions.handler import Handler


def on_birth(session: Session, event: LifeEvent) -> Outcome:
    forecast = education.add_expected_child(
        session,
        district_code=event.payload["birthDistrict"],
        birth_date=event.occurred_on,
        updated_on=event.recorded_at.date(),
    )
    year = forecast["schoolYear"]
    return Outcome(
        f"ໄດ້ນັບເດັກເຂົ້າໃນແຜນຮັບນັກຮຽນປະຖົມ ສົກຮຽນ {year} ແລ້ວ",
        f"The child is counted in the primary-school intake forecast for {year}.",
    )


HANDLERS: dict[EventType, Handler] = {EventType.birth: on_birth}
