"""The registries API serves schema-valid records and OneDoor's error body."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, delete

from onedoor.config import Settings
from onedoor.db import transaction
from onedoor.member_credentials import load_member_credential
from onedoor.runtime import create_runtime
from registries.app import create_app
from registries.civil.models import CivilPerson
from registries.familybook import service as familybook
from registries.familybook.models import FamilybookHousehold, FamilybookMember
from registries.residence import service as residence
from registries.residence.models import ResidenceRecord
from registries.statistics import service as statistics
from registries.statistics.models import StatsEventCount
from schemas import codec
from schemas.identifiers import PersonId
from tests.registries.people import add
from tests.schemas.examples import ADDRESS

HEAD = PersonId.issue(province=1, serial=900)


@pytest.fixture
def client(migrated_engine: Engine, settings: Settings) -> Iterator[TestClient]:
    runtime = create_runtime(settings, engine=migrated_engine)
    with transaction(runtime.sessions) as session:
        add(session, 900, "M", "1970-01-01")
        familybook.create_household(
            session,
            household={
                "householdId": "HH0000000900",
                "version": 1,
                "headId": HEAD.value,
                "address": ADDRESS,
                "members": {
                    "member": [
                        {"personId": HEAD.value, "relationship": "head", "since": "2000-01-01"}
                    ]
                },
            },
        )
        residence.set_residence(
            session,
            residence={"personId": HEAD.value, "address": ADDRESS, "validFrom": "2000-01-01"},
        )
        statistics.count_event(session, event="birth", province_code="01", on=date(2025, 1, 3))
    try:
        app = create_app(runtime)
        token = load_member_credential(settings, "registries")
        with TestClient(app, headers={"Authorization": f"Bearer {token}"}) as test_client:
            yield test_client
    finally:
        with transaction(runtime.sessions) as session:
            for model in (
                FamilybookMember,
                FamilybookHousehold,
                ResidenceRecord,
                CivilPerson,
                StatsEventCount,
            ):
                session.execute(delete(model))


def test_person_as_json_and_as_xml(client: TestClient) -> None:
    response = client.get(f"/civil/persons/{HEAD.formatted()}")
    assert response.status_code == 200
    assert response.json()["personId"] == HEAD.value
    xml = client.get(f"/civil/persons/{HEAD.value}", headers={"Accept": "application/xml"})
    assert xml.headers["content-type"].startswith("application/xml")
    assert codec.from_xml("Person", xml.content) == response.json()


def test_household_by_id_and_by_member(client: TestClient) -> None:
    assert client.get("/familybook/households/HH0000000900").json()["headId"] == HEAD.value
    assert client.get(f"/familybook/members/{HEAD.value}").json()["householdId"] == ("HH0000000900")


def test_residence_and_statistics(client: TestClient) -> None:
    assert client.get(f"/residence/{HEAD.value}").json()["address"]["villageCode"] == "0101001"
    assert client.get("/statistics/events", params={"event": "birth"}).json() == [
        {"event": "birth", "provinceCode": "01", "period": "2025-01", "count": 1}
    ]


def test_bad_identifier_and_unknown_records_get_the_error_body(client: TestClient) -> None:
    bad = client.get("/civil/persons/011234567891")
    assert bad.status_code == 400
    assert bad.json()["error"]["code"] == "invalid_person_id"
    missing = client.get(f"/civil/persons/{PersonId.issue(province=2, serial=1).value}")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "record_not_found"
    assert client.get("/civil/records/XX0000000000").json()["error"]["code"] == ("record_not_found")


def test_only_the_gateway_may_call_a_member_system(client: TestClient) -> None:
    """A caller bypassing the exchange (no access rights, consent or log) is refused."""
    url = f"/civil/persons/{HEAD.value}"
    for credentials in ({}, {"Authorization": "Bearer guessed-token"}, {"Authorization": "x"}):
        refused = client.get(url, headers={"Authorization": ""} | credentials)
        assert refused.status_code == 401
        assert refused.json()["error"]["code"] == "gateway_credential_required"
    assert client.get("/health", headers={"Authorization": ""}).status_code == 200
