"""The gateway's message log: every message, hash-chained, with its content encrypted at rest.

Each row stores ``row_hash = SHA-256(prev_hash || canonical content)`` where the content is the
row's metadata and its sealed (AES-256-GCM, log key) record of the signed message, headers and
body. Changing, removing or reordering a row breaks the chain at that row. Batches of rows are
timestamped (RFC 3161) by ``logstamp``; ``logcontainer`` exports and verifies the log.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import Table, func, insert, select, text
from sqlalchemy.orm import Session

from exchange.gateway.models import GwlogRecord
from exchange.gateway.sqlitelock import take_write_lock
from exchange.messages.header import canonical_json
from exchange.xroad.identifiers import ClientId
from onedoor.errors import OneDoorError

GENESIS = "0" * 64


class LogChainError(OneDoorError):
    """The message log chain does not verify."""

    code = "log_chain_broken"
    http_status = 409

    def __init__(self, message: str, *, seq: int | None) -> None:
        super().__init__(message)
        self.seq = seq


class LogKeyError(OneDoorError):
    """A logged record cannot be decrypted with this log key."""

    code = "log_key_invalid"


@dataclass(frozen=True)
class LoggedMessage:
    role: str
    kind: str
    message_id: str
    client: str
    service: str
    request_hash: str
    wire: str
    headers: dict[str, str]
    body: bytes


def append(
    session: Session, *, gateway: ClientId, message: LoggedMessage, log_key: bytes, now: datetime
) -> dict[str, Any]:
    """Append ``message`` to ``gateway``'s chain (inside the caller's transaction); the row."""
    [row] = append_many(session, gateway=gateway, messages=[message], log_key=log_key, now=now)
    return row


def append_many(
    session: Session,
    *,
    gateway: ClientId,
    messages: Sequence[LoggedMessage],
    log_key: bytes,
    now: datetime,
) -> list[dict[str, Any]]:
    """Append ``messages`` in order to ``gateway``'s chain in one write of the caller's
    transaction (a request and its response are logged together); the rows, exported form.

    Appends to one chain are serialised (PostgreSQL: a transaction advisory lock per gateway;
    SQLite: the database write lock), so replicas never race for the next ``seq``.
    """
    _lock_chain(session, gateway)
    last = session.execute(
        select(GwlogRecord.seq, GwlogRecord.row_hash)
        .where(GwlogRecord.gateway == str(gateway))
        .order_by(GwlogRecord.seq.desc())
        .limit(1)
    ).first()
    seq, prev_hash = (last[0], last[1]) if last else (0, GENESIS)
    values: list[dict[str, Any]] = []
    rows: list[dict[str, Any]] = []
    for message in messages:
        seq += 1
        value: dict[str, Any] = {
            "gateway": str(gateway), "seq": seq, "logged_at": now, "role": message.role,
            "kind": message.kind, "message_id": message.message_id, "client": message.client,
            "service": message.service, "request_hash": message.request_hash,
            "sealed": _seal(message, key=log_key, aad=f"{gateway}#{seq}".encode()),
            "prev_hash": prev_hash,
        }
        row = _exported(value)
        value["row_hash"] = row["row_hash"] = prev_hash = row_hash(row)
        values.append(value)
        rows.append(row)
    # A Core insert: the unit of work costs more than the rest of an append.
    session.execute(insert(cast(Table, GwlogRecord.__table__)), values)
    return rows


def _lock_chain(session: Session, gateway: ClientId) -> None:
    if session.get_bind().dialect.name == "postgresql":
        session.execute(
            text("SELECT pg_advisory_xact_lock(hashtext(:chain))"), {"chain": f"gwlog:{gateway}"}
        )
    else:
        take_write_lock(session)


def record_to_json(record: GwlogRecord) -> dict[str, Any]:
    """The exported form of a row (also what its hash covers, less ``row_hash``)."""
    row = _exported({name: getattr(record, name) for name in _EXPORTED})
    row["row_hash"] = record.row_hash
    return row


_EXPORTED = (
    "gateway", "seq", "logged_at", "role", "kind", "message_id", "client", "service",
    "request_hash", "sealed", "prev_hash",
)


def _exported(value: dict[str, Any]) -> dict[str, Any]:
    return {
        "gateway": value["gateway"],
        "seq": value["seq"],
        "logged_at": _utc_text(value["logged_at"]),
        "role": value["role"],
        "kind": value["kind"],
        "message_id": value["message_id"],
        "client": value["client"],
        "service": value["service"],
        "request_hash": value["request_hash"],
        "sealed": base64.b64encode(value["sealed"]).decode(),
        "prev_hash": value["prev_hash"],
        "row_hash": "",
    }


def row_hash(row: dict[str, Any]) -> str:
    content = canonical_json({k: v for k, v in row.items() if k != "row_hash"})
    return hashlib.sha256(row["prev_hash"].encode() + content).hexdigest()


def verify_rows(rows: Iterable[dict[str, Any]], *, from_genesis: bool = True) -> int:
    """Check every row's hash and link; raises LogChainError naming the first changed row."""
    previous: dict[str, Any] | None = None
    count = 0
    for row in rows:
        seq = row.get("seq")
        try:
            expected_prev = (
                previous["row_hash"] if previous else (GENESIS if from_genesis else None)
            )
            if previous is not None and row["seq"] != previous["seq"] + 1:
                raise LogChainError(f"row {seq}: a row is missing before it", seq=seq)
            if expected_prev is not None and row["prev_hash"] != expected_prev:
                raise LogChainError(f"row {seq}: does not link to the row before", seq=seq)
            if row_hash(row) != row["row_hash"]:
                raise LogChainError(f"row {seq}: content was changed", seq=seq)
        except (KeyError, TypeError, AttributeError) as exc:
            where = seq if isinstance(seq, int) else None
            raise LogChainError(f"row {seq}: malformed", seq=where) from exc
        previous = row
        count += 1
    return count


def load_rows(session: Session, *, gateway: str) -> list[dict[str, Any]]:
    records = session.scalars(
        select(GwlogRecord).where(GwlogRecord.gateway == gateway).order_by(GwlogRecord.seq)
    )
    return [record_to_json(r) for r in records]


def count_rows(session: Session, *, gateway: str) -> int:
    total = session.scalar(select(func.count()).where(GwlogRecord.gateway == gateway))
    return int(total or 0)


def open_record(row: dict[str, Any], *, log_key: bytes) -> LoggedMessage:
    """Decrypt a row's sealed content; raises LogKeyError if the key or content is wrong."""
    try:
        raw = base64.b64decode(row["sealed"])
        aad = f"{row['gateway']}#{row['seq']}".encode()
        plain = AESGCM(log_key).decrypt(raw[:12], raw[12:], aad)
        data = json.loads(plain)
    except (InvalidTag, ValueError, KeyError) as exc:
        raise LogKeyError("logged record cannot be decrypted with this log key") from exc
    return LoggedMessage(
        role=row["role"], kind=row["kind"], message_id=row["message_id"], client=row["client"],
        service=row["service"], request_hash=row["request_hash"], wire=data["wire"],
        headers=data["headers"], body=base64.b64decode(data["body"]),
    )


def _seal(message: LoggedMessage, *, key: bytes, aad: bytes) -> bytes:
    plain = canonical_json(
        {
            "wire": message.wire,
            "headers": message.headers,
            "body": base64.b64encode(message.body).decode(),
        }
    )
    nonce = os.urandom(12)
    return nonce + AESGCM(key).encrypt(nonce, plain, aad)


def _utc_text(moment: datetime) -> str:
    # SQLite returns naive datetimes; the log stores UTC, so render both the same way.
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment.isoformat(timespec="microseconds")
