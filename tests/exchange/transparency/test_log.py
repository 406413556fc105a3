"""Appending to the stored log and answering proofs from it, on SQLite and PostgreSQL."""

from __future__ import annotations

import threading

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session

from exchange.transparency.errors import (
    InvalidEntryError,
    InvalidTreeSizeError,
    LogTamperedError,
    TreeHeadNotFoundError,
    TreeHeadSignatureError,
)
from exchange.transparency.log import (
    append_entries,
    consistency_proof,
    inclusion_proof,
    latest_tree_head,
    root_at,
    sign_tree_head,
)
from exchange.transparency.merkle import EMPTY_ROOT
from exchange.transparency.models import TlogEntry
from exchange.transparency.proofs import verify_consistency, verify_inclusion
from exchange.transparency.pseudonym import HmacPseudonymizer
from exchange.transparency.store import read_head
from exchange.transparency.tree_head import EcdsaP256Signer
from exchange.transparency.verify import verify_log
from onedoor.db import open_database, session_factory, transaction
from onedoor.migrate import upgrade
from tests.exchange.transparency.conftest import event, fixed_clock
from tests.exchange.transparency.test_merkle import ref_mth, ref_path, ref_proof


def _fill(session: Session, pseudonymizer: HmacPseudonymizer, total: int) -> list[bytes]:
    sizes, start = [1, 2, 3, 5, 8, 13, 21, 34], 0
    for size in sizes:
        if start >= total:
            break
        size = min(size, total - start)
        result = append_entries(
            session,
            entries=[event(i) for i in range(start, start + size)],
            pseudonymizer=pseudonymizer,
            clock=fixed_clock,
        )
        assert result.first_sequence == start
        start += size
    rows = session.scalars(select(TlogEntry.entry).order_by(TlogEntry.seq))
    return [bytes(row) for row in rows]


def test_proofs_from_storage_match_the_rfc_for_every_size_and_index(
    db_session: Session, pseudonymizer: HmacPseudonymizer
) -> None:
    data = _fill(db_session, pseudonymizer, 40)
    assert read_head(db_session) == (40, ref_mth(data))
    for size in range(1, 41):
        root = ref_mth(data[:size])
        assert root_at(db_session, tree_size=size) == root
        for index in range(size):
            proof = inclusion_proof(db_session, index=index, tree_size=size)
            assert proof.path == ref_path(index, data[:size])
            assert proof.root_hash == root
            verify_inclusion(
                leaf_hash=proof.leaf_hash,
                index=index,
                tree_size=size,
                proof=proof.path,
                root_hash=root,
            )
    for second in (1, 2, 7, 8, 9, 31, 40):
        for first in range(1, second + 1):
            consistency = consistency_proof(db_session, first=first, second=second)
            assert consistency.path == ref_proof(first, data[:second])
            verify_consistency(
                first=first,
                second=second,
                first_hash=consistency.first_hash,
                second_hash=ref_mth(data[:second]),
                proof=consistency.path,
            )


def test_proofs_outside_the_tree_are_refused(
    db_session: Session, pseudonymizer: HmacPseudonymizer
) -> None:
    _fill(db_session, pseudonymizer, 5)
    for index, size in ((5, 5), (-1, 5), (0, 6), (0, 0)):
        with pytest.raises(InvalidTreeSizeError):
            inclusion_proof(db_session, index=index, tree_size=size)
    for first, second in ((0, 3), (4, 3), (1, 6)):
        with pytest.raises(InvalidTreeSizeError):
            consistency_proof(db_session, first=first, second=second)


def test_a_bad_event_in_a_batch_writes_nothing(
    db_session: Session, pseudonymizer: HmacPseudonymizer
) -> None:
    _fill(db_session, pseudonymizer, 3)
    before = read_head(db_session)
    bad = [
        event(3),
        event(4, basis_kind=None),  # allowed without consent or legal basis
    ]
    with pytest.raises(InvalidEntryError):
        append_entries(db_session, entries=bad, pseudonymizer=pseudonymizer)
    assert read_head(db_session) == before
    assert db_session.scalar(select(func.count()).select_from(TlogEntry)) == 3
    with pytest.raises(InvalidEntryError):
        append_entries(db_session, entries=[], pseudonymizer=pseudonymizer)


def test_the_plain_national_identifier_is_never_stored(
    db_session: Session, pseudonymizer: HmacPseudonymizer
) -> None:
    append_entries(
        db_session, entries=[event(0, subject_id="19800101-0042")], pseudonymizer=pseudonymizer
    )
    row = db_session.scalars(select(TlogEntry)).one()
    assert b"19800101-0042" not in row.entry
    assert "19800101-0042" not in repr(row.__dict__)
    assert row.subject == pseudonymizer.pseudonym("19800101-0042")


def test_signed_tree_heads_commit_to_the_root_and_link_by_consistency(
    db_session: Session, pseudonymizer: HmacPseudonymizer, signer: EcdsaP256Signer
) -> None:
    with pytest.raises(TreeHeadNotFoundError):
        latest_tree_head(db_session)
    empty = sign_tree_head(db_session, signer=signer, clock=fixed_clock)
    assert (empty.tree_size, empty.root_hash) == (0, EMPTY_ROOT)
    _fill(db_session, pseudonymizer, 6)
    older = sign_tree_head(db_session, signer=signer, clock=fixed_clock)
    append_entries(
        db_session, entries=[event(i) for i in range(6, 11)], pseudonymizer=pseudonymizer
    )
    newer = sign_tree_head(db_session, signer=signer, clock=fixed_clock)
    assert latest_tree_head(db_session) == newer
    assert newer.timestamp == int(fixed_clock().timestamp() * 1000)
    newer.verify(signer.verifier())
    proof = consistency_proof(db_session, first=older.tree_size, second=newer.tree_size)
    verify_consistency(
        first=older.tree_size,
        second=newer.tree_size,
        first_hash=older.root_hash,
        second_hash=newer.root_hash,
        proof=proof.path,
    )
    other = EcdsaP256Signer(ec.generate_private_key(ec.SECP256R1()))
    with pytest.raises(TreeHeadSignatureError):
        newer.verify(other.verifier())


def _append_concurrently(engine: Engine, pseudonymizer: HmacPseudonymizer) -> None:
    factory = session_factory(engine)
    errors: list[BaseException] = []

    def worker(offset: int) -> None:
        try:
            for batch in range(10):
                with transaction(factory) as session:
                    base = offset * 1000 + batch * 7
                    append_entries(
                        session,
                        entries=[event(base + i) for i in range(7)],
                        pseudonymizer=pseudonymizer,
                    )
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []


def test_concurrent_appenders_never_fork_the_tree_or_leave_gaps(
    empty_database_url: str, pseudonymizer: HmacPseudonymizer, signer: EcdsaP256Signer
) -> None:
    engine = open_database(empty_database_url)
    upgrade(engine)
    _append_concurrently(engine, pseudonymizer)
    with transaction(session_factory(engine)) as session:
        sign_tree_head(session, signer=signer)
    with transaction(session_factory(engine)) as session:
        result = verify_log(session, verifier=signer.verifier())
        assert result.tree_size == 4 * 10 * 7
        seqs = session.execute(text("SELECT min(seq), max(seq), count(*) FROM tlog_entries"))
        assert tuple(seqs.one()) == (0, 279, 280)
    engine.dispose()


def test_a_missing_head_row_is_recreated_only_for_an_empty_log(
    db_session: Session, pseudonymizer: HmacPseudonymizer
) -> None:
    db_session.execute(text("DELETE FROM tlog_head"))
    append_entries(db_session, entries=[event(0)], pseudonymizer=pseudonymizer)
    assert read_head(db_session)[0] == 1
    db_session.execute(text("DELETE FROM tlog_head"))
    with pytest.raises(LogTamperedError):
        append_entries(db_session, entries=[event(1)], pseudonymizer=pseudonymizer)
