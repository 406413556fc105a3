"""The staff commands against a migrated database: centre, officer, lockout reset."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from idp.accounts import throttle
from idp.accounts.cli import app
from idp.accounts.hashing import DEFAULT_HASHER
from idp.accounts.models import Account
from idp.accounts.rights import AccountKind
from idp.enrolment import EnrolmentTokenError, check_enrolment_token
from idp.mfa.keys import load_mfa_keys
from onedoor.config import get_settings
from onedoor.db import open_database, session_factory, transaction
from onedoor.migrate import upgrade
from tests.idp.accounts.support import NOW


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    upgrade(open_database(url))
    monkeypatch.setenv("ONEDOOR_DATABASE_URL", url)
    monkeypatch.setenv("ONEDOOR_STATE_DIR", str(tmp_path / "var"))
    get_settings.cache_clear()
    yield url
    get_settings.cache_clear()


def _shown(output: str, label: str) -> str:
    """The value printed after ``<label> (shown once):``."""
    line = next(line for line in output.splitlines() if line.startswith(f"{label} (shown once)"))
    return line.rsplit(": ", 1)[1].strip()


def test_create_centre_officer_and_reset_lockout(database: str) -> None:
    runner = CliRunner()
    made = runner.invoke(app, ["create-centre", "vte-01", "--name-lo", "ສູນ ວຽງຈັນ",
                               "--name-en", "Vientiane ODSC", "--province", "Vientiane"])
    assert made.exit_code == 0, made.output
    created = runner.invoke(app, ["create-officer", "kham.officer", "--centre", "VTE-01",
                                  "--name", "Kham"])
    assert created.exit_code == 0, created.output
    password = _shown(created.output, "initial password")
    sessions = session_factory(open_database(database))
    with transaction(sessions) as session:
        officer = session.execute(select(Account)).scalar_one()
        assert (officer.kind, officer.password_must_change) == ("officer", True)
        DEFAULT_HASHER.verify(officer.password_hash or "", password)
        for _ in range(3):
            throttle.record_failure(session, login="kham.officer", source="192.0.2.1", now=NOW)
    unknown = runner.invoke(app, ["create-officer", "x.officer", "--centre", "NOPE",
                                  "--name", "X"])
    assert unknown.exit_code != 0 and isinstance(unknown.exception, Exception)
    assert getattr(unknown.exception, "code", None) == "unknown_centre"
    assert runner.invoke(app, ["reset-lockout", "kham.officer"]).exit_code == 0
    with transaction(sessions) as session:
        assert throttle.check(session, login="kham.officer", source="192.0.2.9", now=NOW) is None


def test_initial_password_can_come_from_stdin_and_must_meet_the_policy(database: str) -> None:
    runner = CliRunner()
    runner.invoke(app, ["create-centre", "LPB-01", "--name-lo", "ສູນ", "--name-en", "LPB",
                        "--province", "Luang Prabang"])
    weak = runner.invoke(app, ["create-officer", "dao.officer", "--centre", "LPB-01",
                               "--name", "Dao", "--password-stdin"], input="password1\n")
    assert getattr(weak.exception, "code", None) == "password_rejected"
    good = runner.invoke(app, ["create-officer", "dao.officer", "--centre", "LPB-01",
                               "--name", "Dao", "--password-stdin"],
                         input="mango sticky rice morning\n")
    assert good.exit_code == 0 and "initial password" not in good.output


def test_officer_gets_a_one_time_enrolment_token_for_a_first_security_key(database: str) -> None:
    runner = CliRunner()
    runner.invoke(app, ["create-centre", "PKS-01", "--name-lo", "ສູນ ປາກເຊ", "--name-en",
                        "Pakse ODSC", "--province", "Champasak"])
    created = runner.invoke(app, ["create-officer", "noy.officer", "--centre", "PKS-01",
                                  "--name", "Noy"])
    assert created.exit_code == 0, created.output
    token = _shown(created.output, "enrolment token")
    assert "/idp/enrol" in created.output
    assert token != _shown(created.output, "initial password")
    keys = load_mfa_keys(get_settings())
    sessions = session_factory(open_database(database))
    with transaction(sessions) as session:
        account = check_enrolment_token(session, token=token, keys=keys, now=datetime.now(UTC))
        assert account.login == "noy.officer"
        tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
        with pytest.raises(EnrolmentTokenError):
            check_enrolment_token(session, token=tampered, keys=keys, now=datetime.now(UTC))


def test_operator_with_own_password_still_gets_the_token(database: str) -> None:
    created = CliRunner().invoke(
        app, ["create-officer", "op.one", "--centre", "-", "--name", "Op", "--kind",
              AccountKind.OPERATOR.value, "--password-stdin"],
        input="mango sticky rice morning\n",
    )
    assert created.exit_code == 0, created.output
    assert "initial password" not in created.output
    assert _shown(created.output, "enrolment token").count(".") == 2


def test_data_protection_officer_gets_no_enrolment_token(database: str) -> None:
    created = CliRunner().invoke(
        app, ["create-officer", "dpo.one", "--centre", "-", "--name", "Dpo", "--kind",
              AccountKind.DATA_PROTECTION_OFFICER.value],
    )
    assert created.exit_code == 0, created.output
    assert "enrolment token" not in created.output and "initial password" in created.output
