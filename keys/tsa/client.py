"""Ask a time-stamp authority for a token (RFC 3161 sections 2.4 and 3.4), over HTTP or in-process.

A transport moves one DER query to the TSA and brings back its DER reply; the caller never
gets a token that is rejected, unsigned, off-topic or replayed: every such case raises.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Protocol

import httpx
from asn1crypto import tsp
from cryptography import x509
from sqlalchemy.orm import Session, sessionmaker

from keys.certificates import Clock, utc_now
from keys.pki import Pki
from keys.tsa.authority import TimeStampReply, respond_committed
from keys.tsa.errors import InvalidTimestampError, TsaRejectedError, TsaUnavailableError
from keys.tsa.policy import DIGEST_SIZES
from keys.tsa.verify import verify_timestamp_token

TIMESTAMP_QUERY = "application/timestamp-query"
TIMESTAMP_REPLY = "application/timestamp-reply"
_MAX_REPLY_BYTES = 256 * 1024


class TimestampTransport(Protocol):
    """Carries a DER TimeStampReq to a TSA and returns its DER TimeStampResp."""

    def exchange(self, query: bytes) -> bytes:
        """The reply; raises TsaUnavailableError if the TSA cannot be reached."""
        ...


@dataclass(frozen=True)
class HttpTimestampTransport:
    """RFC 3161 section 3.4 over HTTP POST; ``transport`` lets tests plug in httpx mocks."""

    url: str
    timeout: float = 10.0
    transport: httpx.BaseTransport | None = None

    def exchange(self, query: bytes) -> bytes:
        headers = {"Content-Type": TIMESTAMP_QUERY, "Accept": TIMESTAMP_REPLY}
        try:
            with httpx.Client(timeout=self.timeout, transport=self.transport) as client:
                response = client.post(self.url, content=query, headers=headers)
        except httpx.HTTPError as exc:
            raise TsaUnavailableError(
                f"time-stamp authority unreachable: {type(exc).__name__}"
            ) from exc
        media_type = response.headers.get("content-type", "").split(";")[0].strip()
        if response.status_code != 200 or media_type != TIMESTAMP_REPLY:
            raise TsaUnavailableError(
                f"time-stamp authority answered HTTP {response.status_code} ({media_type or '-'})"
            )
        if len(response.content) > _MAX_REPLY_BYTES:
            raise TsaUnavailableError("time-stamp authority sent an oversized reply")
        return response.content


@dataclass(frozen=True)
class LocalTimestampTransport:
    """The TSA of this process's own PKI, without HTTP (the single-machine deployment)."""

    sessions: sessionmaker[Session]
    pki: Pki
    clock: Clock = utc_now

    def exchange(self, query: bytes) -> bytes:
        return respond_committed(
            sessions=self.sessions, pki=self.pki, query_der=query, clock=self.clock
        )


def build_query(*, data_digest: bytes, hash_algorithm: str, nonce: int) -> bytes:
    """A DER TimeStampReq asking for the TSA certificate too (RFC 3161 section 2.4.1)."""
    if DIGEST_SIZES.get(hash_algorithm) != len(data_digest):
        raise ValueError(f"data_digest is not a {hash_algorithm} digest (sha256/384/512 only)")
    request = tsp.TimeStampReq(
        {
            "version": "v1",
            "message_imprint": {
                "hash_algorithm": {"algorithm": hash_algorithm},
                "hashed_message": data_digest,
            },
            "nonce": nonce,
            "cert_req": True,
        }
    )
    der: bytes = request.dump()
    return der


def request_timestamp(
    *,
    data_digest: bytes,
    hash_algorithm: str = "sha256",
    url: str | None = None,
    transport: TimestampTransport | None = None,
    nonce: int | None = None,
    tsa_certificate: x509.Certificate | None = None,
    timeout: float = 10.0,
) -> bytes:
    """The DER TimeStampToken (a CMS ContentInfo) over ``data_digest``, checked before return.

    Give exactly one of ``url`` and ``transport``. ``nonce`` defaults to 64 random bits.
    Raises TsaUnavailableError (unreachable, not RFC 3161), TsaRejectedError (PKIStatus
    rejection) or InvalidTimestampError (wrong imprint or nonce, bad signature, not signed by
    ``tsa_certificate`` when given), all TimestampError: a signer must stop on any of them.
    """
    if (url is None) == (transport is None):
        raise ValueError("give exactly one of url and transport")
    chosen = transport or HttpTimestampTransport(str(url), timeout=timeout)
    nonce = secrets.randbits(64) if nonce is None else nonce
    query = build_query(data_digest=data_digest, hash_algorithm=hash_algorithm, nonce=nonce)
    reply = chosen.exchange(query)
    token = _granted_token(reply)
    verify_timestamp_token(
        token,
        data_digest=data_digest,
        hash_algorithm=hash_algorithm,
        nonce=nonce,
        tsa_certificate=tsa_certificate,
    )
    return token


def _granted_token(reply: bytes) -> bytes:
    try:
        parsed = TimeStampReply.load(reply, strict=True)
        status = parsed["status"]["status"].native
        text = " ".join(parsed["status"]["status_string"].native or [])
        fail_info = tuple(sorted(parsed["status"]["fail_info"].native or ()))
        token = parsed["time_stamp_token"]
    except (ValueError, TypeError, KeyError) as exc:
        raise TsaUnavailableError("time-stamp authority sent no TimeStampResp") from exc
    if status not in ("granted", "granted_with_mods"):
        detail = f": {text}" if text else ""
        raise TsaRejectedError(
            f"time-stamp authority refused ({status}){detail}", fail_info=fail_info
        )
    if token.native is None:
        raise InvalidTimestampError("time-stamp authority granted but sent no token")
    der: bytes = token.dump()
    return der
