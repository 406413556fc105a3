"""Searching, exporting and anomaly reports, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
import json
import sys
from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from exchange.transparency.anomalies import anomaly_report
from exchange.transparency.errors import InvalidQueryError, LogTamperedError
from exchange.transparency.log import append_entries
from exchange.transparency.pseudonym import HmacPseudonymizer
from exchange.transparency.search import SearchFilter, export_entries, search
from tests.exchange.transparency.conftest import T0, event


@pytest.fixture
def log(db_session: Session, pseudonymizer: HmacPseudonymizer) -> Session:
    append_entries(db_session, entries=[event(i) for i in range(30)], pseudonymizer=pseudonymizer)
    return db_session


def test_a_citizen_sees_every_access_to_their_data_newest_first(
    log: Session, pseudonymizer: HmacPseudonymizer
) -> None:
    mine = search(log, subject_pseudonym=pseudonymizer.pseudonym("10000003"), limit=100)
    assert [e.sequence for e in mine] == [24, 17, 10, 3]
    assert {e.member for e in mine} == {
        "LA/GOV/MIN0/benefits",
        "LA/GOV/MIN1/benefits",
        "LA/GOV/MIN2/benefits",
    }
    assert mine[0].time == T0 + timedelta(minutes=24)


def test_a_subject_is_found_across_index_blocks(
    db_session: Session, pseudonymizer: HmacPseudonymizer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Blocks of 4 entries instead of 65,536, so 30 entries span 8 blocks.
    for module in ("log", "search", "verify"):
        monkeypatch.setattr(sys.modules[f"exchange.transparency.{module}"], "BLOCK_BITS", 2)
    for start in range(0, 30, 6):
        events = [event(i) for i in range(start, start + 6)]
        append_entries(db_session, entries=events, pseudonymizer=pseudonymizer)
    subject = pseudonymizer.pseudonym("10000003")
    mine = search(db_session, subject_pseudonym=subject, limit=100)
    assert [e.sequence for e in mine] == [24, 17, 10, 3]
    assert [e.sequence for e in search(db_session, subject_pseudonym=subject, limit=2)] == [24, 17]
    paged = search(db_session, subject_pseudonym=subject, limit=2, offset=2)
    assert [e.sequence for e in paged] == [10, 3]
    out = io.StringIO()
    where = SearchFilter(subject_pseudonym=subject)
    assert export_entries(db_session, out=out, format="json", where=where) == 4
    blocks = db_session.execute(text("SELECT block FROM tlog_entries WHERE seq = 29")).scalar()
    assert blocks == 29 >> 2


def test_filters_combine_and_page(log: Session) -> None:
    found = search(log, member="LA/GOV/MIN1/benefits", user_id="officer-3", limit=100)
    assert [e.sequence for e in found] == [19, 7]
    window = search(log, since=T0 + timedelta(minutes=5), until=T0 + timedelta(minutes=8))
    assert [e.sequence for e in window] == [7, 6, 5]
    page = search(log, service="LA/GOV/CIVIL/registry/getPerson/v1", limit=5, offset=5)
    assert [e.sequence for e in page] == [24, 23, 22, 21, 20]
    assert search(log, purpose="marketing") == []
    with pytest.raises(InvalidQueryError):
        search(log, limit=0)
    with pytest.raises(InvalidQueryError):
        search(log, since=T0.replace(tzinfo=None))


def test_search_reads_the_hashed_bytes_and_refuses_garbage(log: Session) -> None:
    log.execute(text("UPDATE tlog_entries SET entry = :e WHERE seq = 29"), {"e": b"{garbage"})
    with pytest.raises(LogTamperedError):
        search(log, limit=1)


def test_csv_and_json_exports_hold_every_match_with_its_leaf_hash(log: Session) -> None:
    where = SearchFilter(member="LA/GOV/MIN2/benefits")
    out = io.StringIO()
    assert export_entries(log, out=out, format="csv", where=where) == 10
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert [int(r["sequence"]) for r in rows] == list(range(2, 30, 3))
    assert rows[0]["data_items"] == "name;birth_date"
    assert len(rows[0]["leaf_hash"]) == 64
    out = io.StringIO()
    assert export_entries(log, out=out, format="json", where=where) == 10
    exported = json.loads(out.getvalue())
    assert [e["sequence"] for e in exported] == list(range(2, 30, 3))
    assert exported[0]["data_items"] == ["name", "birth_date"]
    out = io.StringIO()
    assert export_entries(log, out=out, format="json", where=SearchFilter(purpose="x")) == 0
    assert json.loads(out.getvalue()) == []


def test_anomalies_name_trawling_officers_and_repeated_refusals(
    log: Session, pseudonymizer: HmacPseudonymizer
) -> None:
    trawl = [
        event(100 + i, member="LA/GOV/TAX/audit", user_id="nosy", subject_id=f"9{i:05d}")
        for i in range(12)
    ]
    refused = [
        event(
            200 + i,
            member="LA/GOV/TAX/audit",
            user_id="pushy",
            outcome="refused",
            basis_kind=None,
            basis_reference=None,
            reason_code="no_consent",
        )
        for i in range(4)
    ]
    append_entries(log, entries=trawl + refused, pseudonymizer=pseudonymizer)
    report = anomaly_report(
        log,
        since=T0,
        until=T0 + timedelta(days=1),
        max_subjects_per_member=15,
        max_subjects_per_user=10,
        max_refusals=3,
    )
    assert [(a.kind, a.member, a.user_id, a.count) for a in report] == [
        ("many_subjects", "LA/GOV/TAX/audit", None, 16),  # 12 trawled + 4 refused subjects
        ("many_subjects", "LA/GOV/TAX/audit", "nosy", 12),
        ("repeated_refusals", "LA/GOV/TAX/audit", "pushy", 4),
    ]
    quiet = anomaly_report(log, since=T0 + timedelta(days=2), until=T0 + timedelta(days=3))
    assert quiet == []
    with pytest.raises(InvalidQueryError):
        anomaly_report(log, since=T0, until=T0)
