"""The provider gateway's call to its own member system (the information system behind it)."""

from __future__ import annotations

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


def call_member_system(
    *,
    binding: ServiceBinding,
    method: str,
    path: str,
    headers: Mapping[str, str],
    body: bytes,
    max_bytes: int,
    transport: httpx.BaseTransport | None = None,
) -> MemberReply:
    """Forward the opened request; failures and oversize replies raise ServiceFailedError."""
    url = binding.url.rstrip("/") + path
    try:
        with (
            httpx.Client(timeout=binding.timeout, transport=transport, trust_env=False) as client,
            client.stream(method, url, headers=dict(headers), content=body) as response,
        ):
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
