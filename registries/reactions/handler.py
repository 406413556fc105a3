"""The shape of a reaction: a ministry's handler of one event type."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session

from exchange.events.envelope import LifeEvent
from exchange.events.outcomes import Outcome

Handler = Callable[[Session, LifeEvent], Outcome]


def recorded_on(event: LifeEvent) -> str:
    return event.recorded_at.date().isoformat()
