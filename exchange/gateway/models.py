"""Gateway tables: message ids seen (replay protection), the hash-chained message log, its
RFC 3161 batch timestamps and the per-hop times of each message."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from onedoor.db import Base

ID_LENGTH = 1100


class GatewaySeenMessage(Base):
    """A message id received by ``gateway`` from ``sender``; a second arrival is a replay."""

    __tablename__ = "gateway_seen_message"
    __table_args__ = (UniqueConstraint("gateway", "sender", "message_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    gateway: Mapped[str] = mapped_column(String(ID_LENGTH))
    sender: Mapped[str] = mapped_column(String(ID_LENGTH))
    message_id: Mapped[str] = mapped_column(String(255))
    seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class GwlogRecord(Base):
    """One logged message; ``row_hash`` = SHA-256(previous row_hash || canonical content)."""

    __tablename__ = "gwlog_record"
    __table_args__ = (UniqueConstraint("gateway", "seq"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    gateway: Mapped[str] = mapped_column(String(ID_LENGTH))
    seq: Mapped[int] = mapped_column(Integer)
    logged_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    role: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(16))
    message_id: Mapped[str] = mapped_column(String(255), index=True)
    client: Mapped[str] = mapped_column(String(ID_LENGTH))
    service: Mapped[str] = mapped_column(String(ID_LENGTH))
    request_hash: Mapped[str] = mapped_column(String(128))
    sealed: Mapped[bytes] = mapped_column(LargeBinary)
    prev_hash: Mapped[str] = mapped_column(String(64))
    row_hash: Mapped[str] = mapped_column(String(64))
    timestamp_token: Mapped[bytes | None] = mapped_column(LargeBinary)


class GwlogTimestamp(Base):
    """An RFC 3161 token over the Merkle root of rows ``first_seq..last_seq`` of a chain."""

    __tablename__ = "gwlog_timestamp"
    __table_args__ = (UniqueConstraint("gateway", "first_seq"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    gateway: Mapped[str] = mapped_column(String(ID_LENGTH))
    first_seq: Mapped[int] = mapped_column(Integer)
    last_seq: Mapped[int] = mapped_column(Integer)
    root: Mapped[str] = mapped_column(String(64))
    token: Mapped[bytes] = mapped_column(LargeBinary)
    gen_time: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class GwlogHop(Base):
    """When a message passed one hop of the exchange (``client_in``, ``consumer_out``...)."""

    __tablename__ = "gwlog_hop"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    gateway: Mapped[str] = mapped_column(String(ID_LENGTH))
    message_id: Mapped[str] = mapped_column(String(255), index=True)
    hop: Mapped[str] = mapped_column(String(32))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
