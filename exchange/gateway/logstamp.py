"""RFC 3161 batch timestamping of a gateway's message log, and checking the tokens.

A run takes the rows not yet stamped (in ``seq`` order, at most ``max_rows`` per batch), asks
the TSA for a token over the Merkle root of their row hashes (``batchtree``) and stores it in
``gwlog_timestamp``. Nothing is written unless the token verifies, so when the TSA is down the
rows stay unstamped and the next run stamps them. Two replicas racing stamp each batch once
(unique ``first_seq``). A token proves every row of its batch existed at its ``genTime``; a
row rewritten afterwards (even with the chain recomputed) no longer matches the root.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from cryptography import x509
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from exchange.gateway import batchtree
from exchange.gateway.models import GwlogRecord, GwlogTimestamp
from keys.tsa.client import TimestampTransport, request_timestamp
from keys.tsa.errors import TimestampError
from keys.tsa.verify import verify_timestamp_token
from onedoor.errors import OneDoorError

MAX_BATCH_ROWS = 10_000


class LogTimestampError(OneDoorError):
    """A batch timestamp of the message log does not verify."""

    code = "log_timestamp_invalid"
    http_status = 409


@dataclass(frozen=True)
class StampRun:
    """What one run stamped."""

    batches: int
    rows: int


def stamp_pending(
    *,
    sessions: sessionmaker[Session],
    gateway: str,
    transport: TimestampTransport,
    tsa_certificate: x509.Certificate | None = None,
    max_rows: int = MAX_BATCH_ROWS,
) -> StampRun:
    """Stamp every row of ``gateway``'s log not yet stamped; raises TimestampError (nothing
    written for the batch that failed) when the TSA is down or answers wrongly."""
    batches = rows = 0
    while True:
        with sessions() as session:
            pending = _pending(session, gateway=gateway, limit=max_rows)
        if not pending:
            return StampRun(batches, rows)
        root = batchtree.root([bytes.fromhex(row_hash) for _, row_hash in pending])
        token = request_timestamp(
            data_digest=root, transport=transport, tsa_certificate=tsa_certificate
        )
        info = verify_timestamp_token(
            token, data_digest=root, hash_algorithm="sha256", tsa_certificate=tsa_certificate
        )
        try:
            with sessions() as session, session.begin():
                session.add(
                    GwlogTimestamp(
                        gateway=gateway, first_seq=pending[0][0], last_seq=pending[-1][0],
                        root=root.hex(), token=token, gen_time=info.gen_time,
                    )
                )
        except IntegrityError:
            return StampRun(batches, rows)  # another replica stamped these rows meanwhile
        batches, rows = batches + 1, rows + len(pending)
        if len(pending) < max_rows:
            return StampRun(batches, rows)


def _pending(session: Session, *, gateway: str, limit: int) -> list[tuple[int, str]]:
    stamped = session.scalar(
        select(func.max(GwlogTimestamp.last_seq)).where(GwlogTimestamp.gateway == gateway)
    )
    result = session.execute(
        select(GwlogRecord.seq, GwlogRecord.row_hash)
        .where(GwlogRecord.gateway == gateway, GwlogRecord.seq > (stamped or 0))
        .order_by(GwlogRecord.seq)
        .limit(limit)
    )
    return [(seq, row_hash) for seq, row_hash in result]


def load_stamps(session: Session, *, gateway: str) -> list[dict[str, Any]]:
    """The exported form of ``gateway``'s batch timestamps, oldest first."""
    stamps = session.scalars(
        select(GwlogTimestamp)
        .where(GwlogTimestamp.gateway == gateway)
        .order_by(GwlogTimestamp.first_seq)
    )
    return [
        {"first_seq": s.first_seq, "last_seq": s.last_seq, "root": s.root,
         "token": base64.b64encode(s.token).decode()}
        for s in stamps
    ]


def inclusion_proofs(
    all_rows: Sequence[dict[str, Any]], stamps: Sequence[dict[str, Any]], seqs: Iterable[int]
) -> dict[str, dict[str, Any]]:
    """For each of ``seqs`` in a stamped batch: the batch and the row's inclusion path."""
    by_seq = {row["seq"]: row for row in all_rows}
    proofs: dict[str, dict[str, Any]] = {}
    for seq in seqs:
        for number, stamp in enumerate(stamps):
            if stamp["first_seq"] <= seq <= stamp["last_seq"]:
                leaves = [
                    bytes.fromhex(by_seq[s]["row_hash"])
                    for s in range(stamp["first_seq"], stamp["last_seq"] + 1)
                ]
                index = seq - stamp["first_seq"]
                proofs[str(seq)] = {
                    "stamp": number, "index": index, "size": len(leaves),
                    "path": [p.hex() for p in batchtree.inclusion_path(leaves, index)],
                }
    return proofs


@dataclass
class StampCheck:
    """Which rows (by ``seq``) the checked tokens prove, and from when."""

    proven: dict[int, datetime] = field(default_factory=dict)


def check_stamps(
    rows: Sequence[dict[str, Any]],
    stamps: Sequence[dict[str, Any]],
    *,
    proofs: dict[str, Any] | None,
    tsa_certificate: x509.Certificate | None,
) -> StampCheck:
    """Check every token against the (already chain- or hash-checked) rows; raises
    LogTimestampError naming the first batch that does not match."""
    check = StampCheck()
    if not stamps:
        return check
    if tsa_certificate is None:
        raise LogTimestampError("the log carries timestamps: the TSA certificate is needed")
    try:
        times = [_gen_time(stamp, tsa_certificate) for stamp in stamps]
        if proofs is None:
            by_seq = {row["seq"]: row for row in rows}
            for stamp, gen_time in zip(stamps, times, strict=True):
                _check_batch(stamp, by_seq, gen_time, check)
        else:
            for row in rows:
                proof = proofs.get(str(row["seq"]))
                if proof is not None:
                    _check_proof(row, proof, stamps, times, check)
    except (KeyError, TypeError, ValueError, IndexError) as exc:
        raise LogTimestampError("a batch timestamp is malformed") from exc
    return check


def _gen_time(stamp: dict[str, Any], tsa_certificate: x509.Certificate) -> datetime:
    where = f"rows {stamp['first_seq']}-{stamp['last_seq']}"
    try:
        info = verify_timestamp_token(
            base64.b64decode(stamp["token"]), data_digest=bytes.fromhex(stamp["root"]),
            hash_algorithm="sha256", tsa_certificate=tsa_certificate,
        )
    except TimestampError as exc:
        raise LogTimestampError(f"{where}: timestamp does not verify ({exc.message})") from exc
    return info.gen_time


def _check_batch(
    stamp: dict[str, Any], by_seq: dict[int, dict[str, Any]], gen_time: datetime,
    check: StampCheck,
) -> None:
    seqs = range(stamp["first_seq"], stamp["last_seq"] + 1)
    where = f"rows {stamp['first_seq']}-{stamp['last_seq']}"
    if any(seq not in by_seq for seq in seqs):
        raise LogTimestampError(f"{where}: a timestamped row is missing")
    leaves = [bytes.fromhex(by_seq[seq]["row_hash"]) for seq in seqs]
    if batchtree.root(leaves).hex() != stamp["root"]:
        raise LogTimestampError(f"{where}: rows were changed after they were timestamped")
    for seq in seqs:
        check.proven[seq] = gen_time


def _check_proof(
    row: dict[str, Any], proof: dict[str, Any], stamps: Sequence[dict[str, Any]],
    times: Sequence[datetime], check: StampCheck,
) -> None:
    stamp = stamps[proof["stamp"]]
    if proof["index"] != row["seq"] - stamp["first_seq"]:
        raise LogTimestampError(f"row {row['seq']}: inclusion proof names another row")
    root = batchtree.root_from_path(
        bytes.fromhex(row["row_hash"]), proof["index"], proof["size"],
        [bytes.fromhex(p) for p in proof["path"]],
    )
    if proof["size"] != stamp["last_seq"] - stamp["first_seq"] + 1 or root.hex() != stamp["root"]:
        raise LogTimestampError(f"row {row['seq']}: changed after it was timestamped")
    check.proven[row["seq"]] = times[proof["stamp"]]
