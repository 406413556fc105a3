"""verify_log from the attacker's side: rows changed, removed, swapped or forged with SQL."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from sqlalchemy import text
from sqlalchemy.orm import Session

from exchange.transparency.errors import LogTamperedError, TreeHeadSignatureError
from exchange.transparency.log import append_entries, sign_tree_head
from exchange.transparency.merkle import CompactRange, array_index, leaf_hash
from exchange.transparency.pseudonym import HmacPseudonymizer
from exchange.transparency.tree_head import EcdsaP256Signer
from exchange.transparency.verify import verify_log
from tests.exchange.transparency.conftest import event, fixed_clock

SIZE = 23


@pytest.fixture
def log(db_session: Session, pseudonymizer: HmacPseudonymizer, signer: EcdsaP256Signer) -> Session:
    """A log of 23 entries with signed tree heads at sizes 10 and 23."""
    append_entries(
        db_session,
        entries=[event(i) for i in range(10)],
        pseudonymizer=pseudonymizer,
        clock=fixed_clock,
    )
    sign_tree_head(db_session, signer=signer, clock=fixed_clock)
    append_entries(
        db_session,
        entries=[event(i) for i in range(10, SIZE)],
        pseudonymizer=pseudonymizer,
        clock=fixed_clock,
    )
    sign_tree_head(db_session, signer=signer, clock=fixed_clock)
    return db_session


def _sql(session: Session, statement: str, **params: object) -> None:
    session.execute(text(statement), params)


def _entry(session: Session, seq: int) -> bytes:
    return bytes(
        session.execute(
            text("SELECT entry FROM tlog_entries WHERE seq = :s"), {"s": seq}
        ).scalar_one()
    )


def _tampered(session: Session, signer: EcdsaP256Signer) -> LogTamperedError:
    with pytest.raises(LogTamperedError) as caught:
        verify_log(session, verifier=signer.verifier())
    return caught.value


def test_an_intact_log_verifies(log: Session, signer: EcdsaP256Signer) -> None:
    result = verify_log(log, verifier=signer.verifier())
    assert (result.tree_size, result.tree_heads_checked) == (SIZE, 2)


def test_changed_entry_bytes_are_named(log: Session, signer: EcdsaP256Signer) -> None:
    for seq in (17, 5):  # two changes: the first one is reported
        forged = _entry(log, seq).replace(b"child-allowance", b"child-allowancX")
        _sql(log, "UPDATE tlog_entries SET entry = :e WHERE seq = :s", e=forged, s=seq)
    error = _tampered(log, signer)
    assert error.sequence == 5
    assert error.code == "log_tampered"


def test_a_removed_entry_is_named(log: Session, signer: EcdsaP256Signer) -> None:
    _sql(log, "DELETE FROM tlog_entries WHERE seq IN (12, 19)")
    assert _tampered(log, signer).sequence == 12


def test_removed_tail_entries_are_named(log: Session, signer: EcdsaP256Signer) -> None:
    _sql(log, "DELETE FROM tlog_entries WHERE seq >= 20")
    assert _tampered(log, signer).sequence == 20


def test_swapped_entries_are_named(log: Session, signer: EcdsaP256Signer) -> None:
    _sql(log, "UPDATE tlog_entries SET seq = -1 WHERE seq = 8")
    _sql(log, "UPDATE tlog_entries SET seq = 8 WHERE seq = 14")
    _sql(log, "UPDATE tlog_entries SET seq = 14 WHERE seq = -1")
    assert _tampered(log, signer).sequence == 8


def test_an_entry_rewritten_with_its_leaf_hash_is_caught_by_the_tree(
    log: Session, signer: EcdsaP256Signer
) -> None:
    original = _entry(log, 7)
    data = original.replace(b'"purpose":"child-allowance"', b'"purpose":"child-allowancX"')
    _sql(
        log,
        "UPDATE tlog_entries SET entry = :e, leaf_hash = :h, purpose = :p WHERE seq = 7",
        e=data,
        h=leaf_hash(data),
        p="child-allowancX",
    )
    error = _tampered(log, signer)
    assert error.sequence <= 7 <= error.last_sequence
    assert error.last_sequence - error.sequence == 1  # narrowed to one pair of leaves


def test_a_rewrite_of_entry_leaf_and_every_stored_hash_is_caught_by_the_signed_root(
    log: Session, signer: EcdsaP256Signer
) -> None:
    data = _entry(log, 15).replace(b'"user_id":"officer-3"', b'"user_id":"officer-9"')
    _sql(
        log,
        "UPDATE tlog_entries SET entry = :e, leaf_hash = :h, user_id = 'officer-9' WHERE seq = 15",
        e=data,
        h=leaf_hash(data),
    )
    _sql(log, "DELETE FROM tlog_nodes")
    # the attacker rebuilds every subtree hash from the forged leaves
    rows = log.execute(text("SELECT leaf_hash FROM tlog_entries ORDER BY seq")).scalars()
    compact = CompactRange()
    for leaf in rows:
        for level, index, node in compact.append(bytes(leaf)):
            _sql(
                log,
                "INSERT INTO tlog_nodes (node, hash) VALUES (:n, :h)",
                n=array_index(level, index),
                h=node,
            )
    _sql(log, "UPDATE tlog_head SET root_hash = :r", r=compact.root())
    error = _tampered(log, signer)
    assert (error.sequence, error.last_sequence) == (10, SIZE - 1)


def test_a_search_column_changed_to_hide_an_access_is_named(
    log: Session, signer: EcdsaP256Signer
) -> None:
    _sql(log, "UPDATE tlog_entries SET subject = 'someone-else' WHERE seq = 3")
    assert _tampered(log, signer).sequence == 3


def test_an_entry_moved_to_another_block_to_hide_it_is_named(
    log: Session, signer: EcdsaP256Signer
) -> None:
    _sql(log, "UPDATE tlog_entries SET block = 99 WHERE seq = 5")
    assert _tampered(log, signer).sequence == 5


def test_a_forged_entry_inserted_past_the_head_is_named(
    log: Session, signer: EcdsaP256Signer
) -> None:
    data = _entry(log, 0).replace(b'"seq":0', b'"seq":23')
    _sql(
        log,
        "INSERT INTO tlog_entries (seq, leaf_hash, entry, logged_at, member, user_id, "
        "service, purpose, outcome, subject, block) SELECT 23, :h, :e, logged_at, member, "
        "user_id, service, purpose, outcome, subject, block FROM tlog_entries WHERE seq = 0",
        e=data,
        h=leaf_hash(data),
    )
    assert _tampered(log, signer).sequence == SIZE


def test_a_changed_subtree_hash_is_detected(log: Session, signer: EcdsaP256Signer) -> None:
    _sql(
        log, "UPDATE tlog_nodes SET hash = :h WHERE node = :n", h=b"\x00" * 32, n=array_index(2, 3)
    )
    error = _tampered(log, signer)
    assert (error.sequence, error.last_sequence) == (12, 15)


def test_a_tree_head_with_a_bad_signature_is_detected(
    log: Session, signer: EcdsaP256Signer
) -> None:
    _sql(log, "UPDATE tlog_tree_heads SET tree_size = 9 WHERE tree_size = 10")
    with pytest.raises(TreeHeadSignatureError):
        verify_log(log, verifier=signer.verifier())


def test_a_tree_head_signed_by_another_key_is_detected(
    log: Session, signer: EcdsaP256Signer
) -> None:
    intruder = EcdsaP256Signer(ec.generate_private_key(ec.SECP256R1()))
    sign_tree_head(log, signer=intruder)
    with pytest.raises(TreeHeadSignatureError):
        verify_log(log, verifier=signer.verifier())
