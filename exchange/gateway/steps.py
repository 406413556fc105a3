"""Steps both gateway sides run: schema validation hook and message logging."""

from __future__ import annotations

from exchange.gateway import messagelog
from exchange.gateway.config import Direction, GatewayConfig
from exchange.messages.header import MessageHeader
from exchange.xroad.errors import SchemaValidationError
from exchange.xroad.identifiers import ServiceId
from onedoor.db import transaction


def validate_body(
    config: GatewayConfig,
    service: ServiceId,
    *,
    direction: Direction,
    body: bytes,
    content_type: str | None,
) -> None:
    """Run the service's validator if one is configured; raises SchemaValidationError."""
    validator = config.validators.get(service)
    if validator is None:
        return
    try:
        validator(direction=direction, body=body, content_type=content_type)
    except SchemaValidationError:
        raise
    except ValueError as exc:
        raise SchemaValidationError(f"{direction} body does not conform to its schema") from exc


def log_message(
    config: GatewayConfig,
    header: MessageHeader,
    *,
    role: str,
    wire: str,
    body: bytes,
    hashed: str,
) -> None:
    """Append the message to this gateway's hash-chained log in its own transaction."""
    with transaction(config.sessions) as session:
        messagelog.append(
            session,
            gateway=config.member,
            message=messagelog.LoggedMessage(
                role=role, kind=header.kind, message_id=header.message_id,
                client=str(header.client), service=str(header.service), request_hash=hashed,
                wire=wire, headers=dict(header.headers), body=body,
            ),
            log_key=config.log_key,
            now=config.clock(),
        )
