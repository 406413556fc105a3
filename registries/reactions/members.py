"""The ministry systems that subscribe to life events, and the purpose they act for."""

from __future__ import annotations

from exchange.events.types import EventType

FAMILYBOOK = "LA/GOV/MOHA/familybook"
WELFARE = "LA/GOV/MOLSW/welfare"
HEALTH = "LA/GOV/MOH/health"
EDUCATION = "LA/GOV/MOES/education"
STATISTICS = "LA/GOV/LSB/statistics"
TAX = "LA/GOV/MOF/tax"

# Purpose codes of the consent service's catalogue that each legal basis names.
PURPOSE = {
    FAMILYBOOK: "residence-change",
    WELFARE: "child-allowance-eligibility",
    HEALTH: "health-insurance-enrolment",
    EDUCATION: "school-enrolment",
    STATISTICS: "official-statistics",
    TAX: "tax-registration",
}

SUBSCRIBES: dict[str, tuple[EventType, ...]] = {
    FAMILYBOOK: (EventType.birth, EventType.death, EventType.change_of_address),
    WELFARE: (EventType.birth, EventType.death),
    HEALTH: (EventType.birth,),
    EDUCATION: (EventType.birth,),
    STATISTICS: (
        EventType.birth,
        EventType.death,
        EventType.marriage,
        EventType.change_of_address,
    ),
    TAX: (EventType.death, EventType.business_registration),
}
