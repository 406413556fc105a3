"""pyHanko's TimeStamper over OneDoor's TSA transports (RFC 3161 section 3.4).

``TransportTimeStamper`` speaks through any ``keys.tsa.client.TimestampTransport``: the
in-process ``LocalTimestampTransport`` when the signing service runs beside the PKI, or
``PooledHttpTimestampTransport``, which keeps one HTTP connection open across signatures.
Keep one TimeStamper per process: pyHanko caches the TSA's certificates in it.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

import httpx
from asn1crypto import cms, tsp
from pyhanko.sign.timestamps.api import TimeStamper
from pyhanko.sign.timestamps.common_utils import TimestampRequestError

from keys.tsa.client import TIMESTAMP_QUERY, TIMESTAMP_REPLY, TimestampTransport
from keys.tsa.errors import TimestampError, TsaUnavailableError

_MAX_REPLY_BYTES = 256 * 1024


@dataclass
class PooledHttpTimestampTransport:
    """RFC 3161 over HTTP POST through one keep-alive client; close() when done."""

    url: str
    client: httpx.Client = field(default_factory=lambda: httpx.Client(timeout=10.0))

    def exchange(self, query: bytes) -> bytes:
        headers = {"Content-Type": TIMESTAMP_QUERY, "Accept": TIMESTAMP_REPLY}
        try:
            response = self.client.post(self.url, content=query, headers=headers)
        except httpx.HTTPError as exc:
            raise TsaUnavailableError(
                f"time-stamp authority unreachable: {type(exc).__name__}"
            ) from exc
        media_type = response.headers.get("content-type", "").split(";")[0].strip()
        if response.status_code != 200 or media_type != TIMESTAMP_REPLY:
            raise TsaUnavailableError(f"time-stamp authority answered HTTP {response.status_code}")
        if len(response.content) > _MAX_REPLY_BYTES:
            raise TsaUnavailableError("time-stamp authority sent an oversized reply")
        return response.content

    def close(self) -> None:
        self.client.close()


class TransportTimeStamper(TimeStamper):
    """A pyHanko TimeStamper whose requests go through a keys.tsa transport."""

    def __init__(self, transport: TimestampTransport) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.transport = transport

    async def async_dummy_response(self, md_algorithm: str) -> cms.ContentInfo:
        return _fresh(await super().async_dummy_response(md_algorithm))

    async def async_timestamp(self, message_digest: bytes, md_algorithm: str) -> cms.ContentInfo:
        return _fresh(await super().async_timestamp(message_digest, md_algorithm))

    async def async_request_tsa_response(self, req: tsp.TimeStampReq) -> tsp.TimeStampResp:
        try:
            reply = await asyncio.to_thread(self.transport.exchange, req.dump())
        except TimestampError as exc:
            raise TimestampRequestError(exc.message) from exc
        try:
            response = tsp.TimeStampResp.load(reply)
            response["status"]["status"].native  # noqa: B018 - the envelope, not the token:
            # a fully parsed token is re-encoded piece by piece later (slow)
        except (ValueError, TypeError, KeyError) as exc:
            raise TimestampRequestError("the time-stamp authority sent no TimeStampResp") from exc
        return response


def _fresh(token: cms.ContentInfo) -> cms.ContentInfo:
    """An unparsed copy: asn1crypto deep-copies a parsed value when it is embedded (slow)."""
    return cms.ContentInfo.load(token.dump())
