"""The message log: hash-chained rows, content encrypted at rest, tampering named by row."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update
from sqlalchemy.orm import Session

from exchange.gateway import logcontainer, messagelog
from exchange.gateway.messagelog import LogChainError, LoggedMessage, LogKeyError
from exchange.gateway.models import GwlogRecord
from exchange.xroad.identifiers import ClientId

GATEWAY = ClientId("LA", "GOV", "LOGTEST")
KEY = bytes(range(32))
NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def message(n: int) -> LoggedMessage:
    return LoggedMessage(
        role="provider", kind="request" if n % 2 else "response", message_id=f"m-{n}",
        client="LA/GOV/MOF/APP", service="LA/GOV/MOH/REG/persons", request_hash=f"h{n}",
        wire=f"wire-{n}", headers={"X-OneDoor-Subject": "person-42"},
        body=f"record of person 42 #{n}".encode(),
    )


def fill(session: Session, count: int = 4) -> None:
    for n in range(1, count + 1):
        messagelog.append(
            session, gateway=GATEWAY, message=message(n), log_key=KEY,
            now=NOW + timedelta(seconds=n),
        )


def test_chain_verifies_and_content_is_encrypted(db_session: Session) -> None:
    fill(db_session)
    rows = messagelog.load_rows(db_session, gateway=str(GATEWAY))
    assert [r["seq"] for r in rows] == [1, 2, 3, 4]
    assert messagelog.verify_rows(rows) == 4
    assert all(b"person" not in bytes(r["sealed"], "ascii") for r in rows)
    opened = messagelog.open_record(rows[2], log_key=KEY)
    assert opened.body == b"record of person 42 #3"
    assert opened.headers == {"X-OneDoor-Subject": "person-42"}


def test_changed_row_is_named(db_session: Session) -> None:
    fill(db_session)
    db_session.execute(
        update(GwlogRecord)
        .where(GwlogRecord.gateway == str(GATEWAY), GwlogRecord.seq == 3)
        .values(message_id="m-forged")
    )
    with pytest.raises(LogChainError) as raised:
        messagelog.verify_rows(messagelog.load_rows(db_session, gateway=str(GATEWAY)))
    assert raised.value.seq == 3


def test_removed_row_is_named(db_session: Session) -> None:
    fill(db_session)
    rows = messagelog.load_rows(db_session, gateway=str(GATEWAY))
    with pytest.raises(LogChainError, match="missing") as raised:
        messagelog.verify_rows(rows[:1] + rows[2:])
    assert raised.value.seq == 3


def test_rehashed_row_breaks_the_link_to_the_next(db_session: Session) -> None:
    fill(db_session)
    rows = messagelog.load_rows(db_session, gateway=str(GATEWAY))
    rows[1]["service"] = "LA/GOV/MOH/REG/other"
    rows[1]["row_hash"] = messagelog.row_hash(rows[1])
    with pytest.raises(LogChainError) as raised:
        messagelog.verify_rows(rows)
    assert raised.value.seq == 3


def test_exported_container_verifies_offline_and_names_a_change(db_session: Session) -> None:
    fill(db_session)
    whole = logcontainer.export_container(db_session, gateway=str(GATEWAY))
    assert logcontainer.verify_container(whole) == 4
    one = logcontainer.export_container(db_session, gateway=str(GATEWAY), message_id="m-2")
    assert logcontainer.verify_container(one) == 1
    one["records"][0]["request_hash"] = "h-forged"
    with pytest.raises(LogChainError) as raised:
        logcontainer.verify_container(one)
    assert raised.value.seq == 2
    with pytest.raises(LogChainError):
        logcontainer.verify_container({"format": "other"})


def test_wrong_log_key_cannot_open_a_record(db_session: Session) -> None:
    fill(db_session, 1)
    row = messagelog.load_rows(db_session, gateway=str(GATEWAY))[0]
    with pytest.raises(LogKeyError):
        messagelog.open_record(row, log_key=bytes(32))


def test_sealed_content_cannot_be_moved_to_another_row(db_session: Session) -> None:
    fill(db_session, 2)
    first, second = messagelog.load_rows(db_session, gateway=str(GATEWAY))
    with pytest.raises(LogKeyError):
        messagelog.open_record({**second, "sealed": first["sealed"]}, log_key=KEY)
