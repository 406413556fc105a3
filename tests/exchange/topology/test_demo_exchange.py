"""A ministry fetches a person and a household from the civil registry and family book through
two gateways (real mutual TLS on loopback), only while the citizen's consent stands."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from exchange.consent.service import give_consent, withdraw_consent
from exchange.gateway.messagelog import load_rows, verify_rows
from exchange.messages.clock import utc_now
from exchange.topology import load_consent_keys
from exchange.topology.gateways import metrics_credential
from exchange.topology.members import HOUSEHOLD_ITEMS, PERSON_ITEMS
from onedoor.db import transaction
from registries.civil.models import CivilPerson
from tests.exchange.topology.conftest import BROKEN, HOUSEHOLD, DemoWorld, error_detail

WELFARE = "LA/GOV/MOLSW/welfare"
PURPOSE = "child-allowance-eligibility"
CIVIL = "/r1/LA/GOV/MOHA/civil"


def consumer(world: DemoWorld) -> TestClient:
    return TestClient(world.exchange.client_apps["LA-GOV-MOLSW"])


def headers(subject: str | None, consent: str | None = None, **extra: str) -> dict[str, str]:
    values = {"X-Road-Client": WELFARE, "X-OneDoor-Purpose": PURPOSE, "X-Road-UserId": "EE1"}
    if subject is not None:
        values["X-OneDoor-Subject"] = subject
    if consent is not None:
        values["X-OneDoor-Consent"] = consent
    values.update(extra)
    return values


def give(world: DemoWorld, subject: str, **overrides: Any) -> str:
    terms: dict[str, Any] = {
        "subject": subject, "consumer": "LA/GOV/MOLSW", "providers": ["LA/GOV/MOHA"],
        "data_items": [*PERSON_ITEMS, *HOUSEHOLD_ITEMS], "purpose": PURPOSE,
        "not_after": utc_now() + timedelta(days=30), "now": utc_now(),
        "keys": load_consent_keys(world.runtime.settings),
    }
    terms.update(overrides)
    with transaction(world.runtime.sessions) as session:
        return give_consent(session, **terms).id


def withdraw(world: DemoWorld, consent_id: str, subject: str) -> None:
    with transaction(world.runtime.sessions) as session:
        withdraw_consent(
            session, consent_id=consent_id, subject=subject, now=utc_now(),
            keys=load_consent_keys(world.runtime.settings),
        )


def test_refused_without_consent_allowed_with_it_refused_after_withdrawal(
    world: DemoWorld,
) -> None:
    with consumer(world) as client:
        url = f"{CIVIL}/person/{world.person}"
        refused = client.get(url, headers=headers(world.person))
        assert refused.status_code == 403
        assert error_detail(refused) == ("Server.ServerProxy.ConsentRefused", "no_basis")
        assert world.member_system.paths == []

        consent = give(world, world.person)
        person = client.get(url, headers=headers(world.person, consent))
        assert person.status_code == 200, person.text
        assert person.json()["personId"] == world.person
        assert person.headers["X-Road-Request-Hash"]
        household = client.get(
            f"{CIVIL}/household-member/{world.person}", headers=headers(world.person, consent)
        )
        assert household.status_code == 200, household.text
        assert household.json()["householdId"] == HOUSEHOLD
        by_id = client.get(f"{CIVIL}/household/{HOUSEHOLD}", headers=headers(world.person, consent))
        assert by_id.status_code == 200, by_id.text

        withdraw(world, consent, world.person)
        reached = len(world.member_system.paths)
        again = client.get(url, headers=headers(world.person, consent))
        assert again.status_code == 403
        assert error_detail(again) == ("Server.ServerProxy.ConsentRefused", "consent_revoked")
        assert len(world.member_system.paths) == reached

    outcomes = [(r.outcome, r.reason_code) for r in world.recorder.records]
    assert outcomes == [
        ("refused", "no_basis"), ("allowed", None), ("allowed", None), ("allowed", None),
        ("refused", "consent_revoked"),
    ]
    allowed = world.recorder.records[1]
    assert (allowed.member, allowed.user_id, allowed.purpose) == (WELFARE, "EE1", PURPOSE)
    assert allowed.basis_kind == "consent" and allowed.basis_reference == consent
    assert allowed.subject_id == world.person


def test_request_without_subject_to_a_consent_service_is_refused(world: DemoWorld) -> None:
    with consumer(world) as client:
        response = client.get(f"{CIVIL}/person/{world.person}", headers=headers(None))
    assert error_detail(response) == ("Server.ServerProxy.ConsentRefused", "subject_missing")
    assert world.member_system.paths == []
    assert [r.reason_code for r in world.recorder.records] == ["subject_missing"]


def test_consent_of_one_person_does_not_open_another_persons_record(world: DemoWorld) -> None:
    consent = give(world, world.person)
    with consumer(world) as client:
        other = client.get(
            f"{CIVIL}/person/{world.outsider}", headers=headers(world.person, consent)
        )
        household = client.get(
            f"{CIVIL}/household/{HOUSEHOLD}", headers=headers(world.outsider, give(
                world, world.outsider))
        )
    assert error_detail(other) == ("Server.ServerProxy.ConsentRefused", "subject_mismatch")
    assert error_detail(household) == ("Server.ServerProxy.ConsentRefused", "subject_mismatch")


@pytest.mark.parametrize(
    ("change", "reason"),
    [({"X-OneDoor-Purpose": "tax-assessment"}, "purpose_mismatch"),
     ({"X-OneDoor-Purpose": ""}, "purpose_missing"),
     ({"X-OneDoor-Consent": "not-a-consent"}, "consent_not_found")],
)
def test_consent_must_match_purpose_and_exist(
    world: DemoWorld, change: dict[str, str], reason: str
) -> None:
    consent = give(world, world.person)
    with consumer(world) as client:
        response = client.get(
            f"{CIVIL}/person/{world.person}", headers={**headers(world.person, consent), **change}
        )
    assert error_detail(response)[1] == reason
    assert world.member_system.paths == []


def test_legal_basis_service_without_a_registered_law_is_refused(world: DemoWorld) -> None:
    with consumer(world) as client:
        response = client.get(f"{CIVIL}/address/{world.person}", headers=headers(world.person))
    assert error_detail(response) == ("Server.ServerProxy.ConsentRefused", "no_basis")


def test_schema_invalid_record_from_the_member_system_is_refused(world: DemoWorld) -> None:
    consent = give(world, BROKEN)
    with consumer(world) as client:
        response = client.get(f"{CIVIL}/person/{BROKEN}", headers=headers(BROKEN, consent))
    assert response.status_code == 400
    assert error_detail(response) == (
        "Server.ServerProxy.SchemaValidationFailed", "schema_invalid"
    )
    assert b"unexpected" not in response.content


def test_xml_records_are_validated_and_delivered(world: DemoWorld) -> None:
    consent = give(world, world.person)
    with consumer(world) as client:
        response = client.get(
            f"{CIVIL}/person/{world.person}",
            headers=headers(world.person, consent, Accept="application/xml"),
        )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/xml")
    assert b"urn:onedoor:civil:person:1" in response.content


def test_both_gateways_log_in_valid_chains_and_count_in_metrics(world: DemoWorld) -> None:
    consent = give(world, world.person)
    with consumer(world) as client:
        ok = client.get(f"{CIVIL}/person/{world.person}", headers=headers(world.person, consent))
        assert ok.status_code == 200
        assert client.get("/metrics").status_code == 401
        token = metrics_credential(world.runtime.settings, world.exchange.topology.members[1])
        metrics = client.get("/metrics", headers={"Authorization": f"Bearer {token}"})
    assert metrics.status_code == 200
    text = metrics.text
    assert (
        'onedoor_gateway_requests_total{client="LA/GOV/MOLSW/welfare",outcome="ok",'
        'role="consumer",service="LA/GOV/MOHA/civil/person"}'
    ) in text
    assert "onedoor_gateway_request_duration_seconds_bucket" in text
    with world.runtime.sessions() as session:
        for gateway in ("LA/GOV/MOLSW", "LA/GOV/MOHA"):
            rows = load_rows(session, gateway=gateway)
            assert verify_rows(rows) == len(rows) > 0
        assert session.scalar(select(CivilPerson.person_id).limit(1))
