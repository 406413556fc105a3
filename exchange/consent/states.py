"""The consent life cycle: ACTIVE <-> PAUSED, then REVOKED or EXPIRED for good."""

from __future__ import annotations

from enum import StrEnum

from exchange.consent.errors import IllegalTransitionError


class ConsentState(StrEnum):
    ACTIVE = "ACTIVE"
    PAUSED = "PAUSED"
    REVOKED = "REVOKED"
    EXPIRED = "EXPIRED"


TRANSITIONS: dict[ConsentState, frozenset[ConsentState]] = {
    ConsentState.ACTIVE: frozenset(
        {ConsentState.PAUSED, ConsentState.REVOKED, ConsentState.EXPIRED}
    ),
    ConsentState.PAUSED: frozenset(
        {ConsentState.ACTIVE, ConsentState.REVOKED, ConsentState.EXPIRED}
    ),
    ConsentState.REVOKED: frozenset(),
    ConsentState.EXPIRED: frozenset(),
}


def check_transition(current: ConsentState, target: ConsentState) -> None:
    """Raise IllegalTransitionError unless ``current -> target`` is allowed."""
    if target not in TRANSITIONS[current]:
        raise IllegalTransitionError(f"a {current.value} consent cannot become {target.value}")
