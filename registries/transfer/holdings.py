"""Where each record type is stored: registry, table, natural key and indexed columns.

One place maps a record in JSON form (as the codec decodes it) to the rows the registry services
would write, so bulk seeding, import and the services cannot disagree about the columns.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table

from registries.business.models import BusinessRegistrationRow
from registries.business.service import business_columns
from registries.civil.lifecycle import RecordKind
from registries.civil.models import CivilPerson, CivilRecord
from registries.civil.service import person_columns, record_columns
from registries.familybook.models import FamilybookHousehold, FamilybookMember
from registries.familybook.service import household_columns, member_rows
from registries.health.models import HealthImmunisationSchedule
from registries.residence.models import ResidenceRecord
from registries.residence.service import residence_columns
from registries.tax.models import TaxTaxpayer
from registries.tax.service import taxpayer_columns
from registries.welfare.models import WelfareChildAllowanceCase

Columns = Callable[[Mapping[str, Any]], dict[str, Any]]


def _table(model: type[Any]) -> Table:
    table: Table = model.__table__
    return table


@dataclass(frozen=True)
class Holding:
    """How one record type is kept: a row per record (plus index rows for households)."""

    record_type: str
    registry: str
    table: Table
    key: tuple[str, ...]
    columns: Columns
    kind: str | None = None  # civil_records holds three record types, told apart by kind

    @property
    def versioned_by(self) -> str | None:
        """The column whose rows form one record's versions (the newest is current)."""
        return self.key[0] if "is_current" in self.table.c else None


def _civil(kind: RecordKind) -> Columns:
    return lambda data: record_columns(kind, data)


HOLDINGS: tuple[Holding, ...] = (
    Holding("Person", "civil", _table(CivilPerson), ("person_id",), person_columns),
    *(
        Holding(
            name, "civil", _table(CivilRecord), ("record_id", "version"), _civil(kind), kind.value
        )
        for name, kind in (
            ("BirthRecord", RecordKind.birth),
            ("MarriageRecord", RecordKind.marriage),
            ("DeathRecord", RecordKind.death),
        )
    ),
    Holding(
        "Household",
        "familybook",
        _table(FamilybookHousehold),
        ("household_id",),
        household_columns,
    ),
    Holding(
        "Residence",
        "residence",
        _table(ResidenceRecord),
        ("person_id", "version"),
        residence_columns,
    ),
    Holding(
        "BusinessRegistration",
        "business",
        _table(BusinessRegistrationRow),
        ("registration_number",),
        business_columns,
    ),
    Holding("TaxpayerRecord", "tax", _table(TaxTaxpayer), ("tin",), taxpayer_columns),
    Holding(
        "ChildAllowanceCase",
        "welfare",
        _table(WelfareChildAllowanceCase),
        ("case_id",),
        lambda d: {"case_id": d["caseId"], "child_id": d["childId"], "status": d["status"]},
    ),
    Holding(
        "ImmunisationSchedule",
        "health",
        _table(HealthImmunisationSchedule),
        ("schedule_id",),
        lambda d: {"schedule_id": d["scheduleId"], "person_id": d["personId"]},
    ),
)

BY_RECORD_TYPE = {holding.record_type: holding for holding in HOLDINGS}
REGISTRIES: tuple[str, ...] = tuple(dict.fromkeys(holding.registry for holding in HOLDINGS))
MEMBERS_TABLE = _table(FamilybookMember)
# Insert order: a household's row before the member rows that refer to it.
TABLE_ORDER: tuple[Table, ...] = (
    *dict.fromkeys(holding.table for holding in HOLDINGS if holding.record_type != "Household"),
    _table(FamilybookHousehold),
    MEMBERS_TABLE,
)


def holdings_of(registry: str) -> tuple[Holding, ...]:
    return tuple(holding for holding in HOLDINGS if holding.registry == registry)


def rows_for(
    holding: Holding, data: Mapping[str, Any], document: str
) -> list[tuple[Table, dict[str, Any]]]:
    """The rows that store one record: its document row, and for a household its members."""
    rows: list[tuple[Table, dict[str, Any]]] = [
        (holding.table, {**holding.columns(data), "document": document})
    ]
    if holding.record_type == "Household":
        rows.extend((MEMBERS_TABLE, row) for row in member_rows(data))
    return rows
