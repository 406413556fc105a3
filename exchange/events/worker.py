"""A delivery worker: claim due deliveries, re-check the legal basis, send, acknowledge."""

from __future__ import annotations

import logging
import random
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from exchange.events.delivery import (
    Claimed,
    Transport,
    claim,
    mark_delivered,
    mark_failed,
    mark_refused,
)
from exchange.events.errors import SubscriptionRefusedError
from exchange.events.retry import RetryPolicy
from exchange.events.subscriptions import check_basis
from exchange.events.types import event_type
from onedoor.db import transaction
from onedoor.errors import OneDoorError

log = logging.getLogger(__name__)


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Worker:
    """Delivers events through ``transport``; several may run at once, in any process."""

    sessions: sessionmaker[Session]
    transport: Transport
    policy: RetryPolicy = field(default_factory=RetryPolicy)
    lease: timedelta = timedelta(seconds=30)
    batch: int = 50
    clock: Callable[[], datetime] = utc_now
    rng: random.Random = field(default_factory=random.SystemRandom)

    def run_once(self, stop: threading.Event | None = None) -> int:
        """One round: claim a batch and try each; returns how many deliveries were claimed.

        When ``stop`` is set mid-round the rest of the batch is left to its lease expiry.
        """
        token = str(uuid.uuid4())
        with transaction(self.sessions) as session:
            batch = claim(
                session, token=token, now=self.clock(), lease=self.lease, limit=self.batch
            )
            sendable = [item for item in batch if self._basis_holds(session, item)]
        for item in sendable:
            if stop is not None and stop.is_set():
                break
            self._deliver(item)
        return len(batch)

    def run(self, stop: threading.Event, *, idle_seconds: float = 0.5) -> None:
        """Deliver until ``stop`` is set; sleep ``idle_seconds`` when nothing is due."""
        while not stop.is_set():
            if self.run_once(stop) == 0:
                stop.wait(idle_seconds)

    def drain(self, *, max_rounds: int = 100_000) -> int:
        """Run rounds until nothing is due now (tests and the demo); returns deliveries tried."""
        total = 0
        for _ in range(max_rounds):
            tried = self.run_once()
            if tried == 0:
                break
            total += tried
        return total

    def _basis_holds(self, session: Session, item: Claimed) -> bool:
        try:
            check_basis(
                item.legal_basis,
                subscriber=item.subscriber,
                event_type=event_type(item.event_type),
                now=self.clock(),
            )
        except SubscriptionRefusedError as exc:
            mark_refused(session, claimed=item, reason=f"{exc.code}: {exc.message}")
            log.warning(
                "event delivery refused",
                extra={"event_id": item.event_id, "subscriber": item.subscriber},
            )
            return False
        return True

    def _deliver(self, item: Claimed) -> None:
        try:
            self.transport.deliver(item.subscriber, item.document.encode("utf-8"), item.headers())
        except Exception as exc:  # any failure of the far side is retried, never fatal here
            error = _describe(exc)
            with transaction(self.sessions) as session:
                state = mark_failed(
                    session,
                    claimed=item,
                    now=self.clock(),
                    error=error,
                    policy=self.policy,
                    rng=self.rng,
                )
            log.warning(
                "event delivery failed",
                extra={
                    "event_id": item.event_id,
                    "subscriber": item.subscriber,
                    "attempt": item.attempts,
                    "state": state,
                },
            )
            return
        with transaction(self.sessions) as session:
            mark_delivered(session, claimed=item, now=self.clock())


def _describe(exc: Exception) -> str:
    # Our errors' messages are safe to store; SQL errors quote parameters (personal data).
    if isinstance(exc, OneDoorError):
        return f"{exc.code}: {exc.message}"
    if isinstance(exc, SQLAlchemyError):  # its text quotes SQL parameters
        return f"{type(exc).__name__} ({type(getattr(exc, 'orig', None) or exc).__name__})"
    first = (str(exc).splitlines() or [""])[0][:200]
    return f"{type(exc).__name__}: {first}" if first else type(exc).__name__
