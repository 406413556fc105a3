"""Unique, increasing serial numbers for timestamp tokens, handed out by the database."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from keys.tsa.models import KeysTsaSerial
from keys.tsa.query import TimestampQuery


def allocate_serial(*, session: Session, query: TimestampQuery, gen_time: datetime) -> int:
    """Record a token about to be issued and return its serialNumber (RFC 3161 section 2.4.2).

    The caller must commit before handing out the token, so no serial is ever issued twice.
    """
    record = KeysTsaSerial(
        gen_time=gen_time,
        hash_algorithm=query.hash_algorithm,
        message_digest=query.message_digest.hex(),
    )
    session.add(record)
    session.flush()
    return record.id
