"""The statistics bureau counts life events per province and month (no personal data)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from exchange.events.envelope import LifeEvent
from exchange.events.outcomes import Outcome
from exchange.events.types import EventType
from registries.reactions.handler import Handler
from registries.statistics import service as statistics

_LAO = {
    EventType.birth: "ການເກີດ",
    EventType.death: "ການເສຍຊີວິດ",
    EventType.marriage: "ການແຕ່ງງານ",
    EventType.change_of_address: "ການຍ້າຍທີ່ຢູ່",
}
_ENGLISH = {
    EventType.birth: "birth",
    EventType.death: "death",
    EventType.marriage: "marriage",
    EventType.change_of_address: "change of address",
}


def _province(event: LifeEvent) -> str:
    payload = event.payload
    if event.event_type is EventType.change_of_address:
        return str(payload["address"]["provinceCode"])
    district = {
        EventType.birth: "birthDistrict",
        EventType.death: "deathDistrict",
        EventType.marriage: "marriageDistrict",
    }[event.event_type]
    return str(payload[district])[:2]


def on_event(session: Session, event: LifeEvent) -> Outcome:
    statistics.count_event(
        session, event=event.event_type.value, province_code=_province(event), on=event.occurred_on
    )
    return Outcome(
        f"ໄດ້ນັບ{_LAO[event.event_type]}ເຂົ້າໃນສະຖິຕິແຫ່ງຊາດແລ້ວ",
        f"The {_ENGLISH[event.event_type]} was counted in the national statistics.",
    )


HANDLERS: dict[EventType, Handler] = {kind: on_event for kind in _LAO}
