"""The civil registry as identity proofing sees it: a port, and an in-memory fake for tests."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Protocol


class LifeStatus(StrEnum):
    ALIVE = "alive"
    DECEASED = "deceased"


@dataclass(frozen=True)
class PersonFacts:
    """What the civil registry says about one person."""

    person_id: str
    given_name_lo: str
    family_name_lo: str
    given_name_latin: str
    family_name_latin: str
    date_of_birth: date
    status: LifeStatus


class CivilRegistry(Protocol):
    """Looks a person up in the civil registry (through the exchange, in production)."""

    def find_person(self, person_id: str) -> PersonFacts | None: ...


class InMemoryCivilRegistry:
    """A civil registry held in a dict, for tests and the demo."""

    def __init__(self, persons: Iterable[PersonFacts] = ()) -> None:
        self._persons = {person.person_id: person for person in persons}

    def add(self, person: PersonFacts) -> None:
        self._persons[person.person_id] = person

    def find_person(self, person_id: str) -> PersonFacts | None:
        return self._persons.get(person_id)
