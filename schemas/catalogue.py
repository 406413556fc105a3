"""The catalogue of record types: name -> XSD file, target namespace and root element."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from schemas import SCHEMA_DIR
from schemas.errors import UnknownRecordTypeError

COMMON_NAMESPACE = "urn:onedoor:common:1"
COMMON_XSD = SCHEMA_DIR / "common" / "common-1.xsd"


@dataclass(frozen=True)
class RecordType:
    """One versioned record type; its root element is named like the type."""

    name: str
    namespace: str
    relative_path: str
    prefix: str

    @property
    def root(self) -> str:
        return self.name

    @property
    def qname(self) -> str:
        """The root element in Clark notation, ``{namespace}Root``."""
        return f"{{{self.namespace}}}{self.name}"

    @property
    def path(self) -> Path:
        return SCHEMA_DIR / self.relative_path

    @property
    def version(self) -> str:
        return self.namespace.rsplit(":", 1)[-1]


RECORD_TYPES: tuple[RecordType, ...] = (
    RecordType("Person", "urn:onedoor:civil:person:1", "civil/person-1.xsd", "p"),
    RecordType("BirthRecord", "urn:onedoor:civil:birth:1", "civil/birth-record-1.xsd", "b"),
    RecordType("DeathRecord", "urn:onedoor:civil:death:1", "civil/death-record-1.xsd", "d"),
    RecordType(
        "MarriageRecord", "urn:onedoor:civil:marriage:1", "civil/marriage-record-1.xsd", "m"
    ),
    RecordType(
        "Household", "urn:onedoor:familybook:household:1", "familybook/household-1.xsd", "h"
    ),
    RecordType("Residence", "urn:onedoor:residence:residence:1", "residence/residence-1.xsd", "r"),
    RecordType(
        "BusinessRegistration",
        "urn:onedoor:business:registration:1",
        "business/business-registration-1.xsd",
        "bz",
    ),
    RecordType("TaxpayerRecord", "urn:onedoor:tax:taxpayer:1", "tax/taxpayer-record-1.xsd", "tx"),
    RecordType(
        "ChildAllowanceCase",
        "urn:onedoor:welfare:child-allowance:1",
        "welfare/child-allowance-case-1.xsd",
        "w",
    ),
    RecordType(
        "ImmunisationSchedule",
        "urn:onedoor:health:immunisation-schedule:1",
        "health/immunisation-schedule-1.xsd",
        "im",
    ),
    RecordType(
        "SchoolEnrolmentForecast",
        "urn:onedoor:education:enrolment-forecast:1",
        "education/school-enrolment-forecast-1.xsd",
        "ed",
    ),
    RecordType("Application", "urn:onedoor:application:1", "application/application-1.xsd", "a"),
)

# Life events (exchange/events): kept apart from the registry records they are derived from.
EVENT_TYPES: tuple[RecordType, ...] = (
    RecordType("BirthEvent", "urn:onedoor:events:birth:1", "events/birth-1.xsd", "eb"),
    RecordType("DeathEvent", "urn:onedoor:events:death:1", "events/death-1.xsd", "ed"),
    RecordType("MarriageEvent", "urn:onedoor:events:marriage:1", "events/marriage-1.xsd", "em"),
    RecordType("DivorceEvent", "urn:onedoor:events:divorce:1", "events/divorce-1.xsd", "ex"),
    RecordType(
        "ChangeOfAddressEvent",
        "urn:onedoor:events:change-of-address:1",
        "events/change-of-address-1.xsd",
        "ea",
    ),
    RecordType(
        "BusinessRegistrationEvent",
        "urn:onedoor:events:business-registration:1",
        "events/business-registration-1.xsd",
        "ebz",
    ),
)

_BY_NAME = {record.name: record for record in (*RECORD_TYPES, *EVENT_TYPES)}
_BY_QNAME = {record.qname: record for record in (*RECORD_TYPES, *EVENT_TYPES)}


def record_type(name: str) -> RecordType:
    """The record type called ``name``; raises UnknownRecordTypeError."""
    try:
        return _BY_NAME[name]
    except KeyError:
        raise UnknownRecordTypeError(f"unknown record type {name[:64]!r}") from None


def record_type_of(qname: str) -> RecordType:
    """The record type whose root element is ``qname`` (Clark notation)."""
    try:
        return _BY_QNAME[qname]
    except KeyError:
        raise UnknownRecordTypeError(f"no record type has root element {qname[:160]!r}") from None
