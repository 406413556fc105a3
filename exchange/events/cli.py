"""``onedoor events``: the delivery worker and the dead-letter queue."""

from __future__ import annotations

import signal
import threading
from datetime import UTC, datetime, timedelta
from types import FrameType

import typer

from exchange.events.dlq import list_dead, replay
from exchange.events.retry import RetryPolicy
from exchange.events.worker import Worker
from onedoor.config import get_settings
from onedoor.db import open_database, session_factory, transaction

app = typer.Typer(help="Life events: delivery worker and dead-letter queue.", no_args_is_help=True)
dlq_app = typer.Typer(help="Deliveries that used up their tries.", no_args_is_help=True)
app.add_typer(dlq_app, name="dlq")


@app.command("worker")
def worker_command(
    batch: int = typer.Option(50, min=1, max=1000, help="Deliveries claimed per round."),
    lease_seconds: float = typer.Option(30.0, min=0.1, help="How long a claim is held."),
    max_attempts: int = typer.Option(8, min=1, help="Tries before a delivery is dead."),
    base_seconds: float = typer.Option(1.0, min=0.001, help="First back-off ceiling."),
    cap_seconds: float = typer.Option(300.0, min=0.001, help="Largest back-off ceiling."),
    idle_seconds: float = typer.Option(0.5, min=0.01, help="Pause when nothing is due."),
) -> None:
    """Deliver life events to their subscribers until SIGTERM or SIGINT."""
    from registries.reactions.consumer import InProcessTransport  # the edge picks the transport

    sessions = session_factory(open_database(get_settings().database_url))
    stop = threading.Event()

    def _stop(_signal: int, _frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    worker = Worker(
        sessions=sessions,
        transport=InProcessTransport(sessions),
        policy=RetryPolicy(
            max_attempts=max_attempts, base_seconds=base_seconds, cap_seconds=cap_seconds
        ),
        lease=timedelta(seconds=lease_seconds),
        batch=batch,
    )
    typer.echo("events worker started", err=True)
    worker.run(stop, idle_seconds=idle_seconds)
    typer.echo("events worker stopped", err=True)


@dlq_app.command("list")
def dlq_list(limit: int = typer.Option(100, min=1, max=10_000)) -> None:
    """Dead deliveries: delivery id, event id, type, subscriber, tries, last error."""
    sessions = session_factory(open_database(get_settings().database_url))
    with transaction(sessions) as session:
        dead = list_dead(session, limit=limit)
    for item in dead:
        typer.echo(
            f"{item.delivery_id}\t{item.event_id}\t{item.event_type}\t{item.subscriber}\t"
            f"{item.attempts}\t{item.last_error or ''}"
        )
    typer.echo(f"{len(dead)} dead deliveries", err=True)


@dlq_app.command("replay")
def dlq_replay(
    delivery_id: int | None = typer.Option(None, "--id", help="One delivery; all if omitted."),
) -> None:
    """Queue dead deliveries again with fresh tries (after the cause was fixed)."""
    sessions = session_factory(open_database(get_settings().database_url))
    with transaction(sessions) as session:
        count = replay(session, now=datetime.now(UTC), delivery_id=delivery_id)
    typer.echo(f"{count} deliveries queued again")


if __name__ == "__main__":
    app()
