"""Ministry systems: one allowance case per child, EPI schedules, forecasts and counts."""

from __future__ import annotations

import random
from datetime import date

import pytest
from sqlalchemy.orm import Session

from registries.business import service as business
from registries.education import service as education
from registries.errors import DuplicateRecordError, InconsistentRecordError
from registries.health import service as health
from registries.statistics import service as statistics
from registries.tax import service as tax
from registries.welfare import service as welfare
from schemas.identifiers import PersonId
from tests.schemas.examples import VALID

CHILD = PersonId.issue(province=6, serial=1)
MOTHER = PersonId.issue(province=6, serial=2)


def test_child_allowance_is_opened_once(db_session: Session) -> None:
    opened = welfare.open_child_allowance_case(
        db_session,
        child_id=CHILD,
        guardian_id=MOTHER,
        opened_on=date(2025, 3, 1),
        source_event="birth BR0000000001",
        rng=random.Random(3),
    )
    assert welfare.case_for_child(db_session, child_id=CHILD) == opened
    assert welfare.get_case(db_session, case_id=opened["caseId"])["status"] == "open"
    with pytest.raises(DuplicateRecordError):
        welfare.open_child_allowance_case(
            db_session, child_id=CHILD, guardian_id=MOTHER, opened_on=date(2025, 3, 1)
        )


def test_immunisation_schedule_follows_the_epi_timetable(db_session: Session) -> None:
    schedule = health.schedule_immunisations(
        db_session, person_id=CHILD, birth_date=date(2025, 2, 20)
    )
    doses = schedule["doses"]["dose"]
    assert len(doses) == len(health.EPI_TIMETABLE)
    assert doses[0] == {"vaccine": "BCG", "doseNumber": 1, "dueOn": "2025-02-20", "status": "due"}
    assert health.schedule_for(db_session, person_id=CHILD) == schedule
    with pytest.raises(DuplicateRecordError):
        health.schedule_immunisations(db_session, person_id=CHILD, birth_date=date(2025, 2, 20))


def test_enrolment_forecast_counts_children_by_school_year(db_session: Session) -> None:
    assert education.school_year_for_birth(date(2025, 2, 20)) == "2031-2032"
    assert education.school_year_for_birth(date(2025, 10, 1)) == "2032-2033"
    for _ in range(3):
        education.add_expected_child(
            db_session,
            district_code="0601",
            birth_date=date(2025, 2, 20),
            updated_on=date(2025, 3, 1),
        )
    forecast = education.get_forecast(db_session, district_code="0601", school_year="2031-2032")
    assert forecast["expectedChildren"] == 3


def test_statistics_count_per_province_and_month(db_session: Session) -> None:
    statistics.count_event(db_session, event="birth", province_code="06", on=date(2025, 2, 20))
    assert (
        statistics.count_event(db_session, event="birth", province_code="06", on=date(2025, 2, 1))
        == 2
    )
    with pytest.raises(InconsistentRecordError):
        statistics.count_event(db_session, event="party", province_code="06", on=date(2025, 2, 1))
    with pytest.raises(InconsistentRecordError):
        statistics.count_event(db_session, event="birth", province_code="19", on=date(2025, 2, 1))


def test_business_and_taxpayer(db_session: Session) -> None:
    registered = business.register_business(db_session, registration=VALID["BusinessRegistration"])
    assert business.get_business(db_session, registration_number="BZ0000000001") == registered
    tax.register_taxpayer(db_session, taxpayer=VALID["TaxpayerRecord"])
    assert tax.get_taxpayer(db_session, tin="1234567890")["registrationNumber"] == "BZ0000000001"
    with pytest.raises(DuplicateRecordError):
        tax.register_taxpayer(db_session, taxpayer=VALID["TaxpayerRecord"])
