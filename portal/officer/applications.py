"""Applications of a centre: written to the local queue first, then sent to the registry.

An application is committed as ``queued`` before the registry is called, so a broken link
loses nothing: it stays queued, with the reason, until :func:`send_queued` (the officer's
"send queued" button or :class:`QueueRetrier`) gets it through. Each attempt is claimed
with a compare-and-set on ``attempts``, so two senders never send one application twice.
A refusal by the registry is final (``failed``) and shown with the registry's error code.
"""

from __future__ import annotations

import json
import logging
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker

from exchange.events.models import EventsDelivery, EventsOutbox
from exchange.events.outcomes import RecordedOutcome, outcomes_for_event
from onedoor.db import transaction
from onedoor.errors import NotFoundError
from portal.officer.link import (
    BirthDeclaration,
    CivilRegistryLink,
    LinkUnavailableError,
    RegistryRefusedError,
)
from portal.officer.models import PortalApplicationQueue

log = logging.getLogger(__name__)
BIRTH = "birth_registration"
MAX_LISTED = 50
PUBLIC_ID_BYTES = 16


class ApplicationNotFoundError(NotFoundError):
    """No application with this id at the officer's centre (another centre's is not found)."""

    code = "not_found"


@dataclass(frozen=True)
class SendReport:
    sent: int
    failed: int
    queued: int


def submit_birth(
    session: Session, *, centre: str, officer_subject: str, birth: BirthDeclaration, now: int
) -> PortalApplicationQueue:
    """Queue a birth registration for ``centre``; send it with :func:`send_application`."""
    row = PortalApplicationQueue(
        public_id=secrets.token_urlsafe(PUBLIC_ID_BYTES), centre=centre,
        officer_subject=officer_subject, kind=BIRTH, state="queued",
        payload=json.dumps(birth.to_record(), ensure_ascii=False), attempts=0, last_error=None,
        record_id=None, subject_id=None, event_id=None, created_at=now, updated_at=now,
    )
    session.add(row)
    session.flush()
    return row


def _claim(sessions: sessionmaker[Session], row_id: int, now: int) -> BirthDeclaration | None:
    with transaction(sessions) as session:
        row = session.get(PortalApplicationQueue, row_id)
        if row is None or row.state != "queued":
            return None
        claimed = session.execute(
            update(PortalApplicationQueue)
            .where(
                PortalApplicationQueue.id == row_id,
                PortalApplicationQueue.state == "queued",
                PortalApplicationQueue.attempts == row.attempts,
            )
            .values(attempts=row.attempts + 1, updated_at=now)
            .execution_options(synchronize_session=False)
        )
        if getattr(claimed, "rowcount", 0) != 1:
            return None
        return BirthDeclaration.from_record(json.loads(row.payload))


def send_application(
    sessions: sessionmaker[Session], *, row_id: int, link: CivilRegistryLink, today: date,
    now: int,
) -> str:
    """Try to send one queued application; returns its state afterwards."""
    birth = _claim(sessions, row_id, now)
    if birth is None:
        with sessions() as session:
            row = session.get(PortalApplicationQueue, row_id)
            return row.state if row is not None else "failed"
    values: dict[str, object]
    try:
        registered = link.register_birth(birth=birth, today=today)
    except LinkUnavailableError as exc:
        values = {"last_error": exc.code}
    except RegistryRefusedError as exc:
        values = {"state": "failed", "last_error": exc.reason}
    else:
        values = {
            "state": "sent", "last_error": None, "record_id": registered.record_id,
            "subject_id": registered.child_id, "event_id": registered.event_id,
        }
    with transaction(sessions) as session:
        session.execute(
            update(PortalApplicationQueue)
            .where(PortalApplicationQueue.id == row_id)
            .values(updated_at=now, **values)
            .execution_options(synchronize_session=False)
        )
    return str(values.get("state", "queued"))


def send_queued(
    sessions: sessionmaker[Session], *, link: CivilRegistryLink, today: date, now: int,
    centre: str | None = None, limit: int = MAX_LISTED,
) -> SendReport:
    """Send the oldest queued applications (of ``centre``, or of every centre)."""
    query = select(PortalApplicationQueue.id).where(PortalApplicationQueue.state == "queued")
    if centre is not None:
        query = query.where(PortalApplicationQueue.centre == centre)
    with sessions() as session:
        ids = list(session.scalars(query.order_by(PortalApplicationQueue.id).limit(limit)))
    states = [
        send_application(sessions, row_id=row_id, link=link, today=today, now=now)
        for row_id in ids
    ]
    return SendReport(states.count("sent"), states.count("failed"), states.count("queued"))


def application_of(session: Session, *, centre: str, public_id: str) -> PortalApplicationQueue:
    """The application ``public_id`` if it belongs to ``centre``; otherwise not found."""
    row = session.scalar(
        select(PortalApplicationQueue).where(
            PortalApplicationQueue.public_id == public_id[:64],
            PortalApplicationQueue.centre == centre,
        )
    )
    if row is None:
        raise ApplicationNotFoundError()
    return row


def applications_of(session: Session, *, centre: str) -> list[PortalApplicationQueue]:
    return list(session.scalars(
        select(PortalApplicationQueue)
        .where(PortalApplicationQueue.centre == centre)
        .order_by(PortalApplicationQueue.id.desc())
        .limit(MAX_LISTED)
    ))


def birth_of(row: PortalApplicationQueue) -> BirthDeclaration:
    return BirthDeclaration.from_record(json.loads(row.payload))


def outcomes_of(session: Session, row: PortalApplicationQueue) -> list[RecordedOutcome]:
    """What the ministries did because of this application's life event (tell us once)."""
    return outcomes_for_event(session, event_id=row.event_id) if row.event_id else []


def deliveries_pending(session: Session, row: PortalApplicationQueue) -> int:
    """Ministries the life event has not reached yet."""
    if not row.event_id:
        return 0
    return int(session.scalar(
        select(func.count(EventsDelivery.id))
        .join(EventsOutbox, EventsOutbox.id == EventsDelivery.outbox_id)
        .where(EventsOutbox.event_id == row.event_id, EventsDelivery.state == "pending")
    ) or 0)


class QueueRetrier:
    """A daemon thread that sends queued applications every ``interval`` seconds."""

    def __init__(self, send: Callable[[], SendReport], *, interval: float = 30.0) -> None:
        self._send = send
        self._interval = interval
        self.stop_event = threading.Event()
        self._thread = threading.Thread(
            target=self.run_rounds, name="portal-queue", daemon=True
        )

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self.stop_event.set()
        self._thread.join(timeout=10)

    def run_rounds(self) -> None:
        """Send, wait ``interval``, repeat until stopped (the thread's body)."""
        while not self.stop_event.wait(self._interval):
            try:
                self._send()
            except Exception as exc:  # the next round retries; the thread must not die
                log.warning("sending queued applications failed",
                            extra={"error_code": type(exc).__name__})
