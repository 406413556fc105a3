"""``onedoor audit``: verify, search, export and watch the transparency log."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Literal, TextIO

import typer
from sqlalchemy.orm import Session

from exchange.transparency.anomalies import anomaly_report
from exchange.transparency.errors import LogTamperedError
from exchange.transparency.keys import LogKeys, create_log_keys, load_or_create_log_keys
from exchange.transparency.log import sign_tree_head
from exchange.transparency.search import SearchFilter, export_entries, search
from exchange.transparency.verify import verify_log
from onedoor.config import get_settings
from onedoor.db import open_database, session_factory, transaction
from onedoor.errors import InvalidRequestError

app = typer.Typer(help="Transparency log: who accessed personal data.", no_args_is_help=True)

SubjectId = typer.Option(None, "--subject-id", help="National id (pseudonymised before use).")
Pseudonym = typer.Option(None, "--subject", help="Subject pseudonym (hex).")
Member = typer.Option(None, help="X-Road member or subsystem id.")
UserId = typer.Option(None, "--user-id", help="Officer user id.")
Service = typer.Option(None, help="Service id.")
Purpose = typer.Option(None, help="Purpose code.")
Outcome = typer.Option(None, help="allowed or refused.")
Since = typer.Option(None, help="ISO 8601 time (UTC unless an offset is given).")
Until = typer.Option(None, help="ISO 8601 time, exclusive.")


@contextmanager
def _open() -> Iterator[tuple[Session, LogKeys]]:
    settings = get_settings()
    keys = load_or_create_log_keys(settings)
    engine = open_database(settings.database_url)
    try:
        with transaction(session_factory(engine)) as session:
            yield session, keys
    finally:
        engine.dispose()


def _time(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise InvalidRequestError(f"not an ISO 8601 time: {value!r}") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _filter(
    keys: LogKeys,
    subject_id: str | None,
    subject: str | None,
    member: str | None,
    user_id: str | None,
    service: str | None,
    purpose: str | None,
    outcome: str | None,
    since: str | None,
    until: str | None,
) -> SearchFilter:
    if subject_id is not None:
        subject = keys.pseudonymizer.pseudonym(subject_id)
    return SearchFilter(
        subject, member, user_id, service, purpose, outcome, _time(since), _time(until)
    )


@app.command()
def verify() -> None:
    """Recompute the whole tree and check every signed tree head; exit 1 if tampered."""
    with _open() as (session, keys):
        try:
            result = verify_log(session, verifier=keys.verifier)
        except LogTamperedError as exc:
            typer.echo(f"TAMPERED at entry {exc.sequence}: {exc.message}", err=True)
            raise typer.Exit(1) from None
    typer.echo(
        f"ok: {result.tree_size} entries, root {result.root_hash.hex()}, "
        f"{result.tree_heads_checked} signed tree heads"
    )


@app.command()
def sign() -> None:
    """Sign and publish the current tree head."""
    with _open() as (session, keys):
        head = sign_tree_head(session, signer=keys.signer)
    typer.echo(json.dumps(head.to_json()))


@app.command("search")
def search_command(
    subject_id: str | None = SubjectId,
    subject: str | None = Pseudonym,
    member: str | None = Member,
    user_id: str | None = UserId,
    service: str | None = Service,
    purpose: str | None = Purpose,
    outcome: str | None = Outcome,
    since: str | None = Since,
    until: str | None = Until,
    limit: int = 100,
    offset: int = 0,
) -> None:
    """Print matching entries, newest first, one JSON object a line."""
    with _open() as (session, keys):
        where = _filter(
            keys, subject_id, subject, member, user_id, service, purpose, outcome, since, until
        )
        found = search(
            session,
            subject_pseudonym=where.subject_pseudonym,
            member=member,
            user_id=user_id,
            service=service,
            purpose=purpose,
            outcome=outcome,
            since=where.since,
            until=where.until,
            limit=limit,
            offset=offset,
        )
    for entry in found:
        typer.echo(json.dumps(entry.to_json(), ensure_ascii=False))


@app.command()
def export(
    format: str = typer.Option("csv", "--format", help="csv or json."),
    output: Path | None = typer.Option(None, "--output", "-o", help="File (default stdout)."),
    subject_id: str | None = SubjectId,
    subject: str | None = Pseudonym,
    member: str | None = Member,
    user_id: str | None = UserId,
    service: str | None = Service,
    purpose: str | None = Purpose,
    outcome: str | None = Outcome,
    since: str | None = Since,
    until: str | None = Until,
) -> None:
    """Export matching entries (oldest first) with their leaf hashes as CSV or JSON."""
    if format not in ("csv", "json"):
        raise typer.BadParameter("must be csv or json", param_hint="--format")
    chosen: Literal["csv", "json"] = "csv" if format == "csv" else "json"
    with _open() as (session, keys):
        where = _filter(
            keys, subject_id, subject, member, user_id, service, purpose, outcome, since, until
        )
        target = output.open("w", encoding="utf-8", newline="") if output else None
        with target or nullcontext(sys.stdout) as out:
            stream: TextIO = out
            count = export_entries(session, out=stream, format=chosen, where=where)
    if output:
        typer.echo(f"exported {count} entries to {output}", err=True)


@app.command()
def anomalies(
    since: str | None = typer.Option(None, help="Window start (default: 24 hours ago)."),
    until: str | None = typer.Option(None, help="Window end (default: now)."),
    max_subjects_per_member: int = 500,
    max_subjects_per_user: int = 50,
    max_refusals: int = 5,
) -> None:
    """Report members and officers over the thresholds, one JSON object a line."""
    end = _time(until) or datetime.now(UTC)
    start = _time(since) or end - timedelta(days=1)
    with _open() as (session, _keys):
        found = anomaly_report(
            session,
            since=start,
            until=end,
            max_subjects_per_member=max_subjects_per_member,
            max_subjects_per_user=max_subjects_per_user,
            max_refusals=max_refusals,
        )
    for anomaly in found:
        typer.echo(json.dumps(anomaly.to_json()))


@app.command("init-keys")
def init_keys() -> None:
    """Create the pseudonym key and the tree-head key if they are missing (any environment)."""
    create_log_keys(get_settings())
    typer.echo("transparency log keys are in place")
