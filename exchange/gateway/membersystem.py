"""The provider gateway's call to its own member system (the information system behind it)."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass

import httpx

from exchange.gateway.config import ServiceBinding
from exchange.xroad.errors import ServiceFailedError

# Response headers of the member system that travel back (signed) to the client.
RETURNED_HEADERS = ("content-type", "content-language", "cache-control")


@dataclass(frozen=True)
class MemberReply:
    status: int
    headers: dict[str, str]
    body: bytes


class MemberSystemClients:
    """A pooled client per timeout (keep-alive to the member system, TLS defaults built once)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._clients: dict[float, httpx.Client] = {}

    def client(self, timeout: float, transport: httpx.BaseTransport | None) -> httpx.Client:
        with self._lock:
            client = self._clients.get(timeout)
            if client is None:
                client = httpx.Client(timeout=timeout, transport=transport, trust_env=False)
                self._clients[timeout] = client
            return client

    def close(self) -> None:
        with self._lock:
            for client in self._clients.values():
                client.close()
            self._clients.clear()


def call_member_system(
    *,
    binding: ServiceBinding,
    method: str,
    path: str,
    headers: Mapping[str, str],
    body: bytes,
    max_bytes: int,
    clients: MemberSystemClients,
    transport: httpx.BaseTransport | None = None,
) -> MemberReply:
    """Forward the opened request; failures and oversize replies raise ServiceFailedError."""
    url = binding.url.rstrip("/") + path
    try:
        client = clients.client(binding.timeout, transport)
        with client.stream(method, url, headers=dict(headers), content=body) as response:
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > max_bytes:
                    raise ServiceFailedError("member system reply is larger than allowed")
                chunks.append(chunk)
    except httpx.TimeoutException as exc:
        raise ServiceFailedError("member system did not answer in time") from exc
    except httpx.HTTPError as exc:
        raise ServiceFailedError("member system is unreachable") from exc
    returned = {k: v for k, v in response.headers.items() if k.lower() in RETURNED_HEADERS}
    return MemberReply(status=response.status_code, headers=returned, body=b"".join(chunks))
