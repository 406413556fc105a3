"""The centre's link to the civil registry: find a person, register a birth.

The console talks to a :class:`CivilRegistryLink`. In the embedded deployment the registry
shares the database and :class:`InProcessCivilRegistry` calls ``registries.civil.service``;
a link over the exchange gateway implements the same two methods. A link that cannot be
reached raises :class:`LinkUnavailableError` (the application stays queued); a registry that
refuses the record raises :class:`RegistryRefusedError` (the application failed).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from exchange.events.models import EventsOutbox
from onedoor.db import transaction
from onedoor.errors import NotFoundError, OneDoorError
from portal.errors import PortalError
from registries.civil import service as civil
from registries.civil.lifecycle import RecordKind, RecordState
from schemas.identifiers import PersonId


class LinkUnavailableError(PortalError):
    """The civil registry cannot be reached from this centre right now."""

    code = "registry_unreachable"
    http_status = 503


class RegistryRefusedError(PortalError):
    """The civil registry refused the record; ``reason`` is the registry's error code."""

    code = "registry_refused"
    http_status = 422

    def __init__(self, reason: str) -> None:
        super().__init__(f"the civil registry refused the record: {reason}")
        self.reason = reason[:64]


class PersonNotFoundError(NotFoundError):
    """No person with this identifier is registered."""

    code = "person_not_found"


@dataclass(frozen=True)
class PersonFacts:
    """What an officer compares with the identity document in front of them."""

    person_id: PersonId
    given_name: str
    family_name: str
    given_name_roman: str
    family_name_roman: str
    sex: str
    birth_date: str
    deceased: bool

    def __repr__(self) -> str:
        return "PersonFacts(***)"


@dataclass(frozen=True)
class BirthDeclaration:
    """One birth, as the officer enters it (BirthRecord of schemas/civil/birth-record-1.xsd)."""

    given_name: str
    family_name: str
    given_name_roman: str
    family_name_roman: str
    sex: str
    birth_date: date
    district: str
    mother_id: PersonId
    father_id: PersonId | None

    def __repr__(self) -> str:
        return "BirthDeclaration(***)"

    def to_record(self) -> dict[str, Any]:
        record: dict[str, Any] = {
            "childName": {
                "familyName": self.family_name, "givenName": self.given_name,
                "familyNameRoman": self.family_name_roman,
                "givenNameRoman": self.given_name_roman,
            },
            "sex": self.sex,
            "birthDate": self.birth_date.isoformat(),
            "birthDistrict": self.district,
            "motherId": self.mother_id.value,
        }
        if self.father_id is not None:
            record["fatherId"] = self.father_id.value
        return record

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> BirthDeclaration:
        name = record["childName"]
        father = record.get("fatherId")
        return cls(
            given_name=name["givenName"], family_name=name["familyName"],
            given_name_roman=name["givenNameRoman"], family_name_roman=name["familyNameRoman"],
            sex=record["sex"], birth_date=date.fromisoformat(record["birthDate"]),
            district=record["birthDistrict"], mother_id=PersonId.parse(record["motherId"]),
            father_id=PersonId.parse(father) if father else None,
        )


@dataclass(frozen=True)
class RegisteredBirth:
    record_id: str
    child_id: str
    event_id: str | None


class CivilRegistryLink(Protocol):
    def find_person(self, *, person_id: PersonId) -> PersonFacts: ...

    def register_birth(self, *, birth: BirthDeclaration, today: date) -> RegisteredBirth:
        """Declare, validate and register in one unit of work (all or nothing)."""
        ...


class InProcessCivilRegistry:
    """The civil registry in this process and database (the embedded deployment)."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def find_person(self, *, person_id: PersonId) -> PersonFacts:
        try:
            with self._sessions() as session:
                person = civil.get_person(session, person_id=person_id)
        except NotFoundError as exc:
            raise PersonNotFoundError() from exc
        except SQLAlchemyError as exc:
            raise LinkUnavailableError() from exc
        name = person["name"]
        return PersonFacts(
            person_id=person_id, given_name=name["givenName"], family_name=name["familyName"],
            given_name_roman=name["givenNameRoman"], family_name_roman=name["familyNameRoman"],
            sex=person["sex"], birth_date=person["birthDate"],
            deceased=bool(person.get("deathDate")),
        )

    def register_birth(self, *, birth: BirthDeclaration, today: date) -> RegisteredBirth:
        try:
            with transaction(self._sessions) as session:
                declared = civil.declare(
                    session, kind=RecordKind.birth, record=birth.to_record(), today=today
                )
                record_id = str(declared["recordId"])
                for state in (RecordState.validated, RecordState.registered):
                    civil.advance(session, record_id=record_id, to=state, today=today)
                child_id = str(declared["childId"])
                event_id = session.scalar(
                    select(EventsOutbox.event_id)
                    .where(EventsOutbox.subject_id == child_id, EventsOutbox.event_type == "birth")
                    .order_by(EventsOutbox.id.desc())
                )
        except SQLAlchemyError as exc:
            raise LinkUnavailableError() from exc
        except OneDoorError as exc:
            raise RegistryRefusedError(exc.code) from exc
        return RegisteredBirth(record_id=record_id, child_id=child_id, event_id=event_id)
