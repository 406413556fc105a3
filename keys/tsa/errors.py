"""Errors of the time-stamp authority and its client, each with a stable ``code``.

    KeysError
    ├── TimestampRejectedQueryError  timestamp_query_rejected: answered as a PKIStatus rejection
    └── TimestampError               timestamp_error: no usable timestamp token
        ├── TsaUnavailableError      tsa_unavailable: TSA unreachable or not answering RFC 3161
        ├── TsaRejectedError         tsa_rejected: the TSA answered with a rejection
        └── InvalidTimestampError    invalid_timestamp: token unsigned, forged or off-topic

A signer must stop on any TimestampError rather than produce a signature without a timestamp.
"""

from __future__ import annotations

from keys.errors import KeysError


class TimestampRejectedQueryError(KeysError):
    """A TimeStampReq the TSA refuses; ``fail_info`` is the PKIFailureInfo bit name."""

    code = "timestamp_query_rejected"
    http_status = 400

    def __init__(self, fail_info: str, message: str) -> None:
        self.fail_info = fail_info
        super().__init__(message)


class TimestampError(KeysError):
    """No usable timestamp token."""

    code = "timestamp_error"
    http_status = 502


class TsaUnavailableError(TimestampError):
    """The time-stamp authority cannot be reached or does not answer with a TimeStampResp."""

    code = "tsa_unavailable"
    http_status = 503


class TsaRejectedError(TimestampError):
    """The time-stamp authority rejected the request (RFC 3161 section 2.4.2, PKIStatusInfo)."""

    code = "tsa_rejected"

    def __init__(self, message: str, *, fail_info: tuple[str, ...] = ()) -> None:
        self.fail_info = fail_info
        super().__init__(message)


class InvalidTimestampError(TimestampError):
    """The timestamp token is not validly signed or does not answer the request."""

    code = "invalid_timestamp"
