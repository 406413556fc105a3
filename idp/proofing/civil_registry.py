"""The proofing port answered by the civil registry's service API (same deployment).

In a multi-host deployment the identity provider asks through the exchange instead; both
answer the same CivilRegistry protocol, so proofing does not change.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session, sessionmaker

from idp.proofing.registry import LifeStatus, PersonFacts
from registries.civil.service import get_person
from registries.errors import RecordNotFoundError
from schemas.errors import InvalidPersonIdError
from schemas.identifiers import PersonId


class LocalCivilRegistry:
    """Reads a person through ``registries.civil.service`` (never its tables)."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def find_person(self, person_id: str) -> PersonFacts | None:
        try:
            identifier = PersonId.parse(person_id)
        except InvalidPersonIdError:
            return None
        with self._sessions() as session:
            try:
                record = get_person(session, person_id=identifier)
            except RecordNotFoundError:
                return None
        name = record["name"]
        return PersonFacts(
            person_id=identifier.value,
            given_name_lo=name["givenName"],
            family_name_lo=name["familyName"],
            given_name_latin=name.get("givenNameRoman", ""),
            family_name_latin=name.get("familyNameRoman", ""),
            date_of_birth=date.fromisoformat(record["birthDate"]),
            status=LifeStatus.DECEASED if record.get("deathDate") else LifeStatus.ALIVE,
        )
