"""RFC 3161 batch timestamps of the message log with OneDoor's TSA: stamped, verified, a row
rewritten after stamping is detected even with the chain recomputed, a TSA outage loses no row."""

from __future__ import annotations

import base64
import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from exchange.cli import app
from exchange.gateway import logcontainer, messagelog
from exchange.gateway.logstamp import LogTimestampError, stamp_pending
from exchange.gateway.messagelog import LogChainError, LoggedMessage
from exchange.gateway.models import GwlogRecord, GwlogTimestamp
from exchange.gateway.stampjob import StampingJob
from exchange.xroad.identifiers import ClientId
from keys.bootstrap import ensure_pki
from keys.pki import Pki, load_pki
from keys.tsa.client import LocalTimestampTransport, request_timestamp
from keys.tsa.errors import TsaUnavailableError
from onedoor.config import Settings, get_settings
from onedoor.db import open_database, session_factory, transaction
from onedoor.migrate import upgrade

KEY = bytes(range(32))


@dataclass
class Tsa:
    """OneDoor's TSA in process, which can be taken down."""

    inner: LocalTimestampTransport
    up: bool = True

    def exchange(self, query: bytes) -> bytes:
        if not self.up:
            raise TsaUnavailableError("time-stamp authority unreachable: ConnectError")
        return self.inner.exchange(query)


@dataclass(frozen=True)
class Setup:
    settings: Settings
    pki: Pki
    sessions: sessionmaker[Session]


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Setup]:
    folder: Path = tmp_path_factory.mktemp("logstamp")
    settings = Settings(state_dir=folder / "var", key_passphrase="stamp test",
                        database_url=f"sqlite:///{folder / 'log.db'}")
    ensure_pki(settings)
    engine = open_database(settings.database_url)
    upgrade(engine)
    yield Setup(settings, load_pki(settings), session_factory(engine))
    engine.dispose()


def new_gateway() -> str:
    return str(ClientId("LA", "GOV", f"T{uuid.uuid4().hex[:8].upper()}"))


def log(sessions: sessionmaker[Session], gateway: str, *message_ids: str) -> None:
    with transaction(sessions) as session:
        for message_id in message_ids:
            messagelog.append_many(
                session, gateway=ClientId(*gateway.split("/")), log_key=KEY,
                now=datetime.now(UTC),
                messages=[LoggedMessage(
                    role="provider", kind=kind, message_id=message_id, client="LA/GOV/MOF/A",
                    service="LA/GOV/MOH/REG/persons", request_hash="h", wire="w", headers={},
                    body=b"b",
                ) for kind in ("request", "response")],
            )


def tsa(setup: Setup) -> Tsa:
    return Tsa(LocalTimestampTransport(setup.sessions, setup.pki))


def stamp(setup: Setup, gateway: str, transport: Tsa, **options: int) -> tuple[int, int]:
    run = stamp_pending(
        sessions=setup.sessions, gateway=gateway, transport=transport,
        tsa_certificate=setup.pki.timestamp_authority, **options,
    )
    return run.batches, run.rows


def container(setup: Setup, gateway: str, message_id: str | None = None) -> dict[str, object]:
    with setup.sessions() as session:
        return logcontainer.export_container(session, gateway=gateway, message_id=message_id)


def verify(setup: Setup, data: dict[str, object]) -> logcontainer.LogVerification:
    return logcontainer.verify_log_container(data, tsa_certificate=setup.pki.timestamp_authority)


def test_stamped_log_verifies_and_proves_when_each_message_existed(setup: Setup) -> None:
    gateway = new_gateway()
    log(setup.sessions, gateway, "m-1", "m-2", "m-3")
    before = datetime.now(UTC)
    assert stamp(setup, gateway, tsa(setup), max_rows=4) == (2, 6)
    assert stamp(setup, gateway, tsa(setup)) == (0, 0)
    whole = verify(setup, container(setup, gateway))
    assert (whole.records, whole.unstamped) == (6, 0)
    assert set(whole.proven) == {"m-1", "m-2", "m-3"}
    assert all(before.replace(microsecond=0) <= t <= datetime.now(UTC)
               for t in whole.proven.values())
    one = container(setup, gateway, "m-3")  # rows 5 and 6, in the second batch
    assert json.loads(json.dumps(one)) == one  # plain JSON
    assert verify(setup, one).proven == {"m-3": whole.proven["m-3"]}


def test_a_row_rewritten_after_stamping_is_detected_even_with_the_chain_recomputed(
    setup: Setup,
) -> None:
    gateway = new_gateway()
    log(setup.sessions, gateway, "m-1", "m-2")
    stamp(setup, gateway, tsa(setup))
    data = container(setup, gateway)
    rows = data["records"]
    assert isinstance(rows, list)
    rows[1]["client"] = "LA/GOV/EVIL/A"
    with pytest.raises(LogChainError, match="row 2"):
        verify(setup, data)
    # An insider rewrites the row and every hash after it: the chain holds, the token does not.
    previous = rows[0]["row_hash"]
    for row in rows[1:]:
        row["prev_hash"] = previous
        row["row_hash"] = previous = messagelog.row_hash(row)
    assert messagelog.verify_rows(rows) == 4
    with pytest.raises(LogTimestampError, match="changed after they were timestamped"):
        verify(setup, data)
    one = container(setup, gateway, "m-1")
    one_rows = one["records"]
    assert isinstance(one_rows, list)
    one_rows[1]["request_hash"] = "forged"
    one_rows[1]["row_hash"] = messagelog.row_hash(one_rows[1])
    with pytest.raises(LogTimestampError, match="row 2"):
        verify(setup, one)


def test_tokens_from_another_tsa_or_without_a_trusted_tsa_are_refused(
    setup: Setup, tmp_path: Path
) -> None:
    gateway = new_gateway()
    log(setup.sessions, gateway, "m-1")
    stamp(setup, gateway, tsa(setup))
    other = Settings(state_dir=tmp_path / "other", key_passphrase="other")
    ensure_pki(other)
    rogue = load_pki(other)
    data = container(setup, gateway)
    with pytest.raises(LogTimestampError, match="TSA certificate is needed"):
        logcontainer.verify_container(data)
    stamps = data["timestamps"]
    assert isinstance(stamps, list)
    stamps[0]["token"] = base64.b64encode(request_timestamp(
        data_digest=bytes.fromhex(stamps[0]["root"]),
        transport=LocalTimestampTransport(setup.sessions, rogue),
    )).decode()
    with pytest.raises(LogTimestampError, match="does not verify"):
        verify(setup, data)


def test_tsa_outage_leaves_rows_unstamped_and_the_next_run_stamps_them(setup: Setup) -> None:
    gateway = new_gateway()
    log(setup.sessions, gateway, "m-1")
    down = tsa(setup)
    down.up = False
    with pytest.raises(TsaUnavailableError):
        stamp(setup, gateway, down)
    job = StampingJob(
        sessions=setup.sessions, gateways=[gateway], transport=down,
        tsa_certificate=setup.pki.timestamp_authority,
    )
    assert job.run_once().rows == 0  # logged and retried later, never raised
    result = verify(setup, container(setup, gateway))
    assert (result.unstamped, result.proven) == (2, {})
    log(setup.sessions, gateway, "m-2")
    down.up = True
    assert job.run_once().rows == 4
    with setup.sessions() as session:
        stamped = session.scalars(
            select(GwlogTimestamp).where(GwlogTimestamp.gateway == gateway)
        ).all()
        total = session.scalars(select(GwlogRecord.seq).where(GwlogRecord.gateway == gateway))
        assert [(s.first_seq, s.last_seq) for s in stamped] == [(1, 4)]
        assert list(total) == [1, 2, 3, 4]
    assert set(verify(setup, container(setup, gateway)).proven) == {"m-1", "m-2"}


def test_cli_timestamps_then_verifies_with_proven_times(
    setup: Setup, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    gateway = new_gateway()
    log(setup.sessions, gateway, "m-1")
    monkeypatch.setenv("ONEDOOR_STATE_DIR", str(setup.settings.state_dir))
    monkeypatch.setenv("ONEDOOR_DATABASE_URL", setup.settings.database_url)
    monkeypatch.setenv("ONEDOOR_KEY_PASSPHRASE", "stamp test")
    get_settings.cache_clear()
    try:
        runner = CliRunner()
        stamped = runner.invoke(app, ["log", "timestamp", "--gateway", gateway])
        assert stamped.exit_code == 0, stamped.output
        assert "stamped 2 row(s) in 1 batch(es)" in stamped.output
        checked = runner.invoke(app, ["verify", "--gateway", gateway, "--times"])
        assert checked.exit_code == 0, checked.output
        assert "2 timestamped, 1 message(s) proven" in checked.output
        assert "m-1: existed by 20" in checked.output
        path = tmp_path / "one.json"
        exported = runner.invoke(
            app, ["export", "--gateway", gateway, "--message-id", "m-1", "--output", str(path)]
        )
        assert exported.exit_code == 0, exported.output
        offline = runner.invoke(app, ["verify", "--container", str(path)])
        assert "1 message(s) proven" in offline.output
    finally:
        get_settings.cache_clear()
