"""Global configuration client: fetch, verify, cache on disk, serve from cache when offline.

A configuration is adopted only if its signature verifies against the central server's trust
anchor, it has not expired, and its serial is not older than the one already held. When the
central server is unreachable (or serves something refused), the gateway keeps using the
configuration it holds (in memory or in the cache file, re-verified) while that is still valid.
"""

from __future__ import annotations

import logging
import os
import tempfile
import threading
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import httpx
from cryptography import x509

from exchange.central.globalconf import GlobalConfiguration
from exchange.central.signing import check_fresh, verify_configuration
from exchange.messages.clock import Clock, utc_now
from exchange.xroad.errors import (
    InvalidGlobalConfError,
    NetworkError,
    OutdatedGlobalConfError,
    XRoadError,
)

log = logging.getLogger("onedoor.exchange.confclient")

Fetcher = Callable[[], bytes]
DEFAULT_REFRESH = timedelta(minutes=5)


def http_fetcher(
    url: str, *, timeout: float = 10.0, transport: httpx.BaseTransport | None = None
) -> Fetcher:
    """Fetch the signed configuration from ``url``; failures raise NetworkError."""

    def fetch() -> bytes:
        try:
            with httpx.Client(timeout=timeout, transport=transport) as client:
                response = client.get(url)
        except httpx.HTTPError as exc:
            raise NetworkError("central server is unreachable") from exc
        if response.status_code != 200:
            raise NetworkError(f"central server answered HTTP {response.status_code}")
        return response.content

    return fetch


class ConfigurationClient:
    """The gateway's view of the global configuration; ``current()`` never returns a stale one."""

    def __init__(
        self,
        *,
        fetch: Fetcher,
        trust_anchor: x509.Certificate,
        cache_path: Path,
        clock: Clock = utc_now,
        refresh_interval: timedelta = DEFAULT_REFRESH,
    ) -> None:
        self._fetch = fetch
        self._anchor = trust_anchor
        self._cache_path = cache_path
        self._clock = clock
        self._interval = refresh_interval
        self._lock = threading.Lock()
        self._held: GlobalConfiguration | None = None
        self._next_refresh = clock()

    def current(self) -> GlobalConfiguration:
        """A verified configuration valid now; raises OutdatedGlobalConfError if there is none."""
        with self._lock:
            now = self._clock()
            if self._held is None or now >= self._next_refresh:
                self._refresh_locked()
            assert self._held is not None
            check_fresh(self._held, now=now)
            return self._held

    def refresh(self) -> GlobalConfiguration:
        """Fetch now (falling back to what is held); raises when nothing valid is available."""
        with self._lock:
            self._refresh_locked()
            assert self._held is not None
            return self._held

    def _refresh_locked(self) -> None:
        now = self._clock()
        self._next_refresh = now + self._interval
        try:
            raw = self._fetch()
            fetched = verify_configuration(raw, trust_anchor=self._anchor)
            check_fresh(fetched, now=now)
            held = self._held or self._load_cache()
            if held is not None and fetched.serial < held.serial:
                raise InvalidGlobalConfError(
                    f"refusing configuration serial {fetched.serial}: older than {held.serial}"
                )
        except XRoadError as exc:
            log.warning(
                "global configuration not refreshed", extra={"error_code": exc.code}
            )
            self._fall_back(exc)
            return
        self._write_cache(raw)
        self._held = fetched

    def _fall_back(self, cause: XRoadError) -> None:
        held = self._held or self._load_cache()
        if held is None:
            raise OutdatedGlobalConfError(
                f"no valid global configuration: {cause.message}"
            ) from cause
        check_fresh(held, now=self._clock())
        self._held = held

    def _load_cache(self) -> GlobalConfiguration | None:
        try:
            raw = self._cache_path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError:
            log.warning("global configuration cache unreadable", extra={"error_code": "oserror"})
            return None
        try:
            return verify_configuration(raw, trust_anchor=self._anchor)
        except InvalidGlobalConfError:
            log.warning("global configuration cache refused", extra={"error_code": "invalid"})
            return None

    def _write_cache(self, raw: bytes) -> None:
        self._cache_path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        # A file of its own per writer: replicas sharing the state dir never interleave.
        fd, temporary = tempfile.mkstemp(
            prefix=self._cache_path.name, suffix=".tmp", dir=self._cache_path.parent
        )
        with os.fdopen(fd, "wb") as handle:
            handle.write(raw)
        os.replace(temporary, self._cache_path)
