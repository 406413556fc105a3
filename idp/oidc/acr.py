"""Authentication context classes: the eIDAS levels of assurance (Regulation 2015/1502)."""

from __future__ import annotations

LOW = "http://eidas.europa.eu/LoA/low"
SUBSTANTIAL = "http://eidas.europa.eu/LoA/substantial"
HIGH = "http://eidas.europa.eu/LoA/high"

LEVELS: tuple[str, ...] = (LOW, SUBSTANTIAL, HIGH)


def rank(acr: str | None) -> int:
    """Position of ``acr`` in LEVELS; unknown or missing values rank below low."""
    return LEVELS.index(acr) if acr in LEVELS else -1


def satisfies(actual: str | None, required: str | None) -> bool:
    """True when a session at ``actual`` meets ``required`` (a higher level meets a lower one)."""
    return required is None or rank(actual) >= rank(required)


def stricter(first: str | None, second: str | None) -> str | None:
    """The more demanding of two required levels (None means no requirement)."""
    if first is None:
        return second
    if second is None:
        return first
    return first if rank(first) >= rank(second) else second


def required_level(acr_values: str | None) -> str | None:
    """The lowest known level among the requested ``acr_values`` (OIDC Core 3.1.2.1).

    acr_values lists acceptable values; since eIDAS levels are ordered, meeting the lowest
    listed one is enough. Unknown values are ignored.
    """
    known = [value for value in (acr_values or "").split() if value in LEVELS]
    return min(known, key=rank) if known else None
