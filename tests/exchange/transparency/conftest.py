"""Shared fixtures: a pseudonym key, a tree-head key, a fixed clock and event factory."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from exchange.transparency.entry import AccessEvent
from exchange.transparency.pseudonym import HmacPseudonymizer
from exchange.transparency.tree_head import EcdsaP256Signer

T0 = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)


def event(i: int, **changes: object) -> AccessEvent:
    """A plausible access: the civil registry answering a ministry about citizen ``i % 7``."""
    fields: dict[str, object] = {
        "member": f"LA/GOV/MIN{i % 3}/benefits",
        "user_id": f"officer-{i % 4}",
        "service": "LA/GOV/CIVIL/registry/getPerson/v1",
        "data_items": ("name", "birth_date"),
        "purpose": "child-allowance",
        "basis_kind": "legal_basis",
        "basis_reference": "decree-2024-17/art-5",
        "outcome": "allowed",
        "subject_id": f"1000{i % 7:04d}",
        "message_id": f"msg-{i}",
        "reason_code": None,
        "time": T0 + timedelta(minutes=i),
    }
    fields.update(changes)
    return AccessEvent(**fields)  # type: ignore[arg-type]


@pytest.fixture
def pseudonymizer() -> HmacPseudonymizer:
    return HmacPseudonymizer(b"k" * 32)


@pytest.fixture(scope="session")
def signer() -> EcdsaP256Signer:
    return EcdsaP256Signer(ec.generate_private_key(ec.SECP256R1()))


def fixed_clock() -> datetime:
    return T0
