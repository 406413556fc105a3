"""The periodic job that timestamps the gateways' message logs (``logstamp``) on a thread."""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence

from cryptography import x509
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from exchange.gateway.logstamp import StampRun, stamp_pending
from keys.tsa.client import TimestampTransport
from keys.tsa.errors import TimestampError

log = logging.getLogger("onedoor.exchange.gateway")
DEFAULT_INTERVAL = 60.0  # seconds between runs: X-Road's default timestamping interval


class StampingJob:
    """Every ``interval`` seconds, stamp what is pending in each gateway's log; a TSA or
    database failure is logged and retried at the next run (rows stay unstamped, none lost)."""

    def __init__(
        self,
        *,
        sessions: sessionmaker[Session],
        gateways: Sequence[str],
        transport: TimestampTransport,
        tsa_certificate: x509.Certificate | None,
        interval: float = DEFAULT_INTERVAL,
    ) -> None:
        self._sessions = sessions
        self._gateways = tuple(gateways)
        self._transport = transport
        self._tsa_certificate = tsa_certificate
        self._interval = interval
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def run_once(self) -> StampRun:
        """One pass over every gateway; returns what was stamped."""
        batches = rows = 0
        for gateway in self._gateways:
            try:
                run = stamp_pending(
                    sessions=self._sessions, gateway=gateway, transport=self._transport,
                    tsa_certificate=self._tsa_certificate,
                )
            except (TimestampError, SQLAlchemyError) as exc:
                log.warning(
                    "message log not timestamped",
                    extra={"member": gateway, "error_code": getattr(exc, "code", "database")},
                )
                continue
            batches, rows = batches + run.batches, rows + run.rows
        return StampRun(batches, rows)

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="gwlog-stamper", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop the thread after a last run, so what was logged before stopping is stamped."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=30)
            self._thread = None

    def _loop(self) -> None:
        while not self._stop.wait(self._interval):
            self.run_once()
        self.run_once()
