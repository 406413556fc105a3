"""Shared fixtures: a P-256 consent key, a fixed clock, and a consent-based service."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from sqlalchemy.orm import Session

from exchange.consent.basis import set_service_policy
from exchange.consent.models import Consent
from exchange.consent.service import give_consent
from exchange.consent.signing import LocalConsentKeys

NOW = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)
SUBJECT = "LA-1985-000123"
OTHER_SUBJECT = "LA-1990-000456"
CONSUMER = "LA/GOV/MOLSW/welfare"
PROVIDER = "LA/GOV/MOHA/civil"
SERVICE = "LA/GOV/MOHA/civil/person/v1"
HOUSEHOLD_SERVICE = "LA/GOV/MOHA/familybook/household"
PURPOSE = "child-allowance-eligibility"
ITEMS = ["civil.person.birth_date", "civil.person.name"]


@pytest.fixture(scope="session")
def keys() -> LocalConsentKeys:
    return LocalConsentKeys(ec.generate_private_key(ec.SECP256R1()))


@pytest.fixture(scope="session")
def other_keys() -> LocalConsentKeys:
    return LocalConsentKeys(ec.generate_private_key(ec.SECP256R1()))


@pytest.fixture
def consent_service(db_session: Session) -> str:
    """SERVICE needs consent and returns the person's name."""
    set_service_policy(
        db_session, service=SERVICE, mode="consent", data_items=["civil.person.name"]
    )
    return SERVICE


def give(session: Session, keys: LocalConsentKeys, **overrides: Any) -> Consent:
    terms: dict[str, Any] = {
        "subject": SUBJECT,
        "consumer": CONSUMER,
        "providers": [PROVIDER],
        "data_items": ITEMS,
        "purpose": PURPOSE,
        "not_after": NOW + timedelta(days=30),
        "now": NOW,
        "keys": keys,
    }
    terms.update(overrides)
    return give_consent(session, **terms)
