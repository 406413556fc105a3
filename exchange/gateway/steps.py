"""Steps both gateway sides run: schema validation hook and message logging."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from datetime import datetime

from sqlalchemy.orm import Session

from exchange.gateway import messagelog
from exchange.gateway.config import Direction, GatewayConfig
from exchange.gateway.hops import record_hops
from exchange.gateway.sqlitelock import take_write_lock
from exchange.messages.header import MessageHeader
from exchange.xroad.errors import SchemaValidationError
from exchange.xroad.identifiers import ServiceId
from onedoor.db import transaction

log = logging.getLogger("onedoor.exchange.gateway")


def validate_body(
    config: GatewayConfig,
    service: ServiceId,
    *,
    direction: Direction,
    body: bytes,
    content_type: str | None,
    status: int | None = None,
) -> None:
    """Run the service's validator if one is configured; raises SchemaValidationError.

    A response that is not a success (``status`` outside 2xx) is the member system's error
    body, not a record of the service, and is passed through unvalidated.
    """
    validator = config.validators.get(service)
    if validator is None or (status is not None and not 200 <= status < 300):
        return
    try:
        validator(direction=direction, body=body, content_type=content_type)
    except (SchemaValidationError, ValueError) as exc:
        log.warning(
            "schema validation failed",
            extra={"event": "schema_invalid", "service": str(service), "error_code": direction},
        )
        if isinstance(exc, SchemaValidationError):
            raise
        raise SchemaValidationError(f"{direction} body does not conform to its schema") from exc


def logged(header: MessageHeader, *, role: str, wire: str, body: bytes, hashed: str
           ) -> messagelog.LoggedMessage:
    """The log entry of one message as it travels (the signed wire text, headers, body)."""
    return messagelog.LoggedMessage(
        role=role, kind=header.kind, message_id=header.message_id, client=str(header.client),
        service=str(header.service), request_hash=hashed, wire=wire,
        headers=dict(header.headers), body=body,
    )


def append_log(
    config: GatewayConfig,
    session: Session,
    messages: Sequence[messagelog.LoggedMessage],
    *,
    hops: Mapping[str, datetime] | None = None,
) -> None:
    """Append to this gateway's hash-chained log inside the caller's transaction, with the
    times the message passed ``hops`` (see ``hops.HOPS``)."""
    messagelog.append_many(
        session, gateway=config.member, messages=messages, log_key=config.log_key,
        now=config.clock(),
    )
    if hops and messages:
        record_hops(
            session, gateway=str(config.member), message_id=messages[0].message_id, hops=hops
        )


def log_messages(
    config: GatewayConfig,
    *messages: messagelog.LoggedMessage,
    hops: Mapping[str, datetime] | None = None,
) -> None:
    """Append ``messages`` (and ``hops``) to this gateway's log in one transaction."""
    with transaction(config.sessions) as session:
        take_write_lock(session)
        append_log(config, session, messages, hops=hops)


def log_message(
    config: GatewayConfig,
    header: MessageHeader,
    *,
    role: str,
    wire: str,
    body: bytes,
    hashed: str,
) -> None:
    """Append one message to this gateway's hash-chained log in its own transaction."""
    log_messages(config, logged(header, role=role, wire=wire, body=body, hashed=hashed))
