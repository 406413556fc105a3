"""The signed header of a gateway-to-gateway message: everything that matters except the body."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from exchange.xroad.errors import InvalidMessageError, XRoadError
from exchange.xroad.identifiers import ClientId, ServiceId, parse_client_id, parse_service_id

Kind = Literal["request", "response"]


@dataclass(frozen=True)
class MessageHeader:
    """One canonical header for requests and responses; responses carry ``request_hash``."""

    kind: Kind
    message_id: str
    sender: ClientId
    recipient: ClientId
    client: ClientId
    service: ServiceId
    issued_at: int
    method: str = "GET"
    path: str = "/"
    headers: Mapping[str, str] = field(default_factory=dict)
    status: int | None = None
    request_hash: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "message_id": self.message_id,
            "sender": str(self.sender),
            "recipient": str(self.recipient),
            "client": str(self.client),
            "service": str(self.service),
            "issued_at": self.issued_at,
            "method": self.method,
            "path": self.path,
            "headers": dict(sorted(self.headers.items())),
            "status": self.status,
            "request_hash": self.request_hash,
        }

    @classmethod
    def from_json(cls, data: Any) -> MessageHeader:
        """Parse a header; anything malformed raises InvalidMessageError."""
        try:
            kind = data["kind"]
            if kind not in ("request", "response"):
                raise ValueError("kind")
            headers = data["headers"]
            if not isinstance(headers, dict) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in headers.items()
            ):
                raise ValueError("headers")
            status = data["status"]
            if status is not None and not isinstance(status, int):
                raise ValueError("status")
            return cls(
                kind=kind,
                message_id=_text(data["message_id"]),
                sender=parse_client_id(_text(data["sender"])),
                recipient=parse_client_id(_text(data["recipient"])),
                client=parse_client_id(_text(data["client"])),
                service=parse_service_id(_text(data["service"])),
                issued_at=_integer(data["issued_at"]),
                method=_text(data["method"]),
                path=_text(data["path"]),
                headers=headers,
                status=status,
                request_hash=None if data["request_hash"] is None else _text(data["request_hash"]),
            )
        except (KeyError, TypeError, ValueError, XRoadError) as exc:
            raise InvalidMessageError("message header is malformed") from exc


def canonical_json(value: Any) -> bytes:
    """Deterministic JSON (sorted keys, no spaces, UTF-8) for signing and hashing."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def _text(value: Any) -> str:
    if not isinstance(value, str) or not value:
        raise ValueError("expected text")
    return value


def _integer(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError("expected an integer")
    return value
