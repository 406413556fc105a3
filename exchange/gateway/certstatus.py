"""Certificate status of peers, cached as X-Road caches OCSP responses.

The gateway asks the responder named in a certificate's AIA (or an in-process transport) once,
verifies the answer (``ocspclient``) and keeps it per certificate until its ``nextUpdate`` or
``max_age`` after its ``thisUpdate``, whichever comes first (X-Road's ``ocspFreshnessSeconds``;
20 minutes here). A revoked or unknown certificate is refused. When no fresh answer is cached
and the responder cannot be reached, the certificate is refused too: the gateway fails closed.
"""

from __future__ import annotations

import logging
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.x509 import ocsp

from exchange.gateway.errors import (
    CertificateRevokedError,
    CertificateStatusUnavailableError,
    CertificateStatusUnknownError,
    InvalidOcspResponseError,
)
from exchange.gateway.ocspclient import (
    HttpOcspTransport,
    OcspAnswer,
    OcspTransport,
    build_request,
    check_response,
    responder_url,
)
from exchange.messages.clock import Clock, utc_now

log = logging.getLogger("onedoor.exchange.gateway")
DEFAULT_MAX_AGE = timedelta(minutes=20)
_MAX_ENTRIES = 4096
NONCE_BYTES = 16


@dataclass(frozen=True)
class _Cached:
    answer: OcspAnswer
    until: datetime


class OcspStatusChecker:
    """A ``RevocationCheck``: raises a CertValidationError unless the certificate is good."""

    def __init__(
        self,
        *,
        transport: OcspTransport | None = None,
        clock: Clock = utc_now,
        max_age: timedelta = DEFAULT_MAX_AGE,
        nonce: Callable[[], bytes] = lambda: secrets.token_bytes(NONCE_BYTES),
    ) -> None:
        self._transport = transport or HttpOcspTransport()
        self._clock = clock
        self._max_age = max_age
        self._nonce = nonce
        self._lock = threading.Lock()
        self._cache: dict[bytes, _Cached] = {}

    def __call__(self, certificate: x509.Certificate, issuer: x509.Certificate) -> None:
        now = self._clock()
        answer = self._cached(certificate, now) or self._fetch(certificate, issuer, now)
        if answer.status == ocsp.OCSPCertStatus.REVOKED:
            when = f" since {answer.revoked_at:%Y-%m-%d %H:%M} UTC" if answer.revoked_at else ""
            raise CertificateRevokedError(
                f"certificate {certificate.serial_number:x} is revoked{when}"
            )
        if answer.status != ocsp.OCSPCertStatus.GOOD:
            raise CertificateStatusUnknownError(
                f"the OCSP responder does not know certificate {certificate.serial_number:x}"
            )

    def cached_until(self, certificate: x509.Certificate) -> datetime | None:
        """Until when the status of ``certificate`` is served from the cache (monitoring)."""
        with self._lock:
            entry = self._cache.get(_key(certificate))
        return entry.until if entry is not None else None

    def _cached(self, certificate: x509.Certificate, now: datetime) -> OcspAnswer | None:
        with self._lock:
            entry = self._cache.get(_key(certificate))
        if entry is None or now >= entry.until:
            return None
        return entry.answer

    def _fetch(
        self, certificate: x509.Certificate, issuer: x509.Certificate, now: datetime
    ) -> OcspAnswer:
        url = responder_url(certificate)
        nonce = self._nonce()
        try:
            der = self._transport.fetch(url, build_request(certificate, issuer, nonce=nonce))
            answer = check_response(
                der, certificate=certificate, issuer=issuer, nonce=nonce, now=now,
                max_age=self._max_age,
            )
        except CertificateStatusUnavailableError as exc:
            log.warning("certificate status unavailable", extra={"error_code": exc.code})
            raise CertificateStatusUnavailableError(
                f"no fresh OCSP status for certificate {certificate.serial_number:x}: "
                f"{exc.message}"
            ) from exc
        except InvalidOcspResponseError as exc:
            log.warning("invalid OCSP response", extra={"error_code": exc.code})
            raise
        until = answer.this_update + self._max_age
        if answer.next_update is not None:
            until = min(until, answer.next_update)
        with self._lock:
            if len(self._cache) >= _MAX_ENTRIES:
                self._cache.clear()
            self._cache[_key(certificate)] = _Cached(answer, until)
        return answer


def _key(certificate: x509.Certificate) -> bytes:
    return certificate.fingerprint(hashes.SHA256())
