"""``consent`` commands: an operator registers purposes, legal bases and service policies."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from typer.testing import CliRunner

from exchange.consent.cli import app
from exchange.consent.errors import InvalidConsentRequestError, UnknownPurposeError
from onedoor.config import get_settings
from onedoor.db import open_database
from onedoor.migrate import upgrade

SERVICE = "LA/GOV/MOHA/familybook/household"


@pytest.fixture
def runner(empty_database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[CliRunner]:
    engine = open_database(empty_database_url)
    upgrade(engine)
    engine.dispose()
    monkeypatch.setenv("ONEDOOR_DATABASE_URL", empty_database_url)
    get_settings.cache_clear()
    yield CliRunner()
    get_settings.cache_clear()


def test_policy_basis_and_purposes(runner: CliRunner) -> None:
    listed = runner.invoke(app, ["purposes", "list"])
    assert listed.exit_code == 0, listed.output
    assert "child-allowance-eligibility\tCheck eligibility for the child allowance\t" in (
        listed.output
    )
    added = runner.invoke(
        app,
        [
            "purposes",
            "add",
            "vaccination-schedule",
            "--en",
            "Plan vaccinations",
            "--lo",
            "ວາງແຜນການສັກຢາກັນພະຍາດ",
        ],
    )
    assert added.exit_code == 0, added.output
    assert "vaccination-schedule" in runner.invoke(app, ["purposes", "list"]).output
    policy = runner.invoke(
        app,
        [
            "policy",
            "set",
            SERVICE,
            "--mode",
            "legal_basis",
            "--item",
            "familybook.household.members",
        ],
    )
    assert policy.exit_code == 0, policy.output
    basis = runner.invoke(
        app,
        [
            "basis",
            "add",
            "--service",
            SERVICE,
            "--consumer",
            "LA/GOV/LSB/statistics",
            "--law",
            "Law on Statistics, art. 20",
            "--purpose",
            "official-statistics",
            "--item",
            "familybook.household.members",
            "--valid-from",
            "2024-01-01",
        ],
    )
    assert basis.exit_code == 0, basis.output
    shown = runner.invoke(app, ["basis", "list", SERVICE]).output
    assert "LA/GOV/LSB/statistics\tLaw on Statistics, art. 20\tofficial-statistics" in shown
    assert "2024-01-01T00:00:00+00:00\t-" in shown


def test_bad_input_raises_a_typed_error(runner: CliRunner) -> None:
    mode = runner.invoke(app, ["policy", "set", SERVICE, "--mode", "maybe", "--item", "a.b"])
    assert isinstance(mode.exception, InvalidConsentRequestError)
    purpose = runner.invoke(
        app,
        [
            "basis",
            "add",
            "--service",
            SERVICE,
            "--consumer",
            "LA/GOV/LSB",
            "--law",
            "x",
            "--purpose",
            "marketing",
            "--item",
            "a.b",
        ],
    )
    assert isinstance(purpose.exception, UnknownPurposeError)
    date = runner.invoke(
        app,
        [
            "basis",
            "add",
            "--service",
            SERVICE,
            "--consumer",
            "LA/GOV/LSB",
            "--law",
            "x",
            "--purpose",
            "official-statistics",
            "--item",
            "a.b",
            "--valid-to",
            "soon",
        ],
    )
    assert isinstance(date.exception, InvalidConsentRequestError)
