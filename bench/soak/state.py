"""The demo's database and consent key, for the consents the soak gives and withdraws."""

from __future__ import annotations

import base64
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import Connection, Engine
from sqlalchemy.orm import Session

from bench.soak import CONSUMER, DATA_ITEMS, PROVIDER, PURPOSE

if TYPE_CHECKING:
    from onedoor.config import Settings

WRITE_ATTEMPTS = 5
T = TypeVar("T")


def writer_engine(settings: Settings) -> Engine:
    """The demo's database; on SQLite every transaction starts ``BEGIN IMMEDIATE``.

    onedoor.db's engine begins deferred: a transaction that reads, then writes after the demo
    (another process, busy writing) committed, fails at once with "database is locked"
    (SQLITE_BUSY_SNAPSHOT, no busy wait). Taking the write lock up front waits instead.
    """
    from sqlalchemy import create_engine, event

    from onedoor.db import make_engine

    if not settings.is_sqlite:
        return make_engine(settings.database_url)
    engine = create_engine(settings.database_url, connect_args={"timeout": 30})

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: object) -> None:
        dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN, below
        dbapi_connection.execute("PRAGMA foreign_keys=ON")

    @event.listens_for(engine, "begin")
    def _begin(connection: Connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


class DemoState:
    """The demo's database and consent key, reached through its state dir."""

    def __init__(self, state_dir: Path) -> None:
        from exchange.topology import load_consent_keys
        from onedoor.config import Settings
        from onedoor.runtime import create_runtime
        from registries.seed.service import sample_person_ids

        self.settings = Settings(state_dir=state_dir.resolve())
        self.runtime = create_runtime(self.settings, engine=writer_engine(self.settings))
        self.keys = load_consent_keys(self.settings)
        self.subjects = sample_person_ids(self.runtime, count=3)
        self.busy_retries = 0
        if len(self.subjects) < 3:
            raise SystemExit(f"the demo in {state_dir} has fewer than 3 adults seeded")

    def give(self, subject: str) -> str:
        from exchange.consent.service import give_consent

        def write(session: Session) -> str:
            now = datetime.now(UTC)
            return give_consent(
                session, subject=subject, consumer=CONSUMER, providers=[PROVIDER],
                data_items=DATA_ITEMS, purpose=PURPOSE, not_after=now + timedelta(days=1),
                now=now, keys=self.keys,
            ).id

        return self._write(write)

    def withdraw(self, subject: str, consent_id: str) -> None:
        from exchange.consent.service import withdraw_consent

        self._write(lambda session: withdraw_consent(
            session, consent_id=consent_id, subject=subject, now=datetime.now(UTC),
            keys=self.keys,
        ))

    def _write(self, work: Callable[[Session], T]) -> T:
        """One transaction, retried should SQLite still report the database locked."""
        from sqlalchemy.exc import OperationalError

        from onedoor.db import transaction

        for attempt in range(WRITE_ATTEMPTS):
            try:
                with transaction(self.runtime.sessions) as session:
                    return work(session)
            except OperationalError as exc:
                if "locked" not in str(exc.orig) or attempt == WRITE_ATTEMPTS - 1:
                    raise
                self.busy_retries += 1
                time.sleep(0.05 * (attempt + 1))
        raise AssertionError("unreachable")

    def ocsp_path(self) -> str:
        """OCSP GET for the TSA's certificate, issued by the services CA (RFC 6960 A.1)."""
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.x509 import ocsp

        folder = self.settings.keys_dir
        tsa = x509.load_pem_x509_certificate((folder / "timestamp-authority.cert.pem").read_bytes())
        ca = x509.load_pem_x509_certificate((folder / "services-ca.cert.pem").read_bytes())
        der = (ocsp.OCSPRequestBuilder().add_certificate(tsa, ca, hashes.SHA1()).build()
               .public_bytes(serialization.Encoding.DER))
        return "/pki/ocsp/services-ca/" + base64.urlsafe_b64encode(der).decode().rstrip("=")
