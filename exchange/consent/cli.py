"""``consent`` commands: the purpose catalogue, legal bases and per-service policies."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

import typer
from sqlalchemy.orm import Session

from exchange.consent.basis import add_legal_basis, legal_bases_for, set_service_policy
from exchange.consent.errors import InvalidConsentRequestError
from exchange.consent.purposes import add_purpose, list_purposes
from onedoor.config import get_settings
from onedoor.db import open_database, session_factory, transaction

app = typer.Typer(help="Consent service: purposes, legal bases, policies.", no_args_is_help=True)
purposes_app = typer.Typer(help="The purpose catalogue.", no_args_is_help=True)
basis_app = typer.Typer(help="Laws that allow a service without consent.", no_args_is_help=True)
policy_app = typer.Typer(help="Whether a service needs consent.", no_args_is_help=True)
app.add_typer(purposes_app, name="purposes")
app.add_typer(basis_app, name="basis")
app.add_typer(policy_app, name="policy")


@contextmanager
def _session() -> Iterator[Session]:
    engine = open_database(get_settings().database_url)
    try:
        with transaction(session_factory(engine)) as session:
            yield session
    finally:
        engine.dispose()


def _moment(value: str | None, *, what: str) -> datetime | None:
    """An ISO 8601 date or time; without a zone it is UTC."""
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise InvalidConsentRequestError(f"{what} is not an ISO 8601 date or time") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@purposes_app.command("list")
def purposes_list() -> None:
    """Show every purpose: code, English and Lao description."""
    with _session() as session:
        for purpose in list_purposes(session):
            typer.echo(f"{purpose.code}\t{purpose.description_en}\t{purpose.description_lo}")


@purposes_app.command("add")
def purposes_add(
    code: str = typer.Argument(..., help="Purpose code, e.g. school-enrolment."),
    english: str = typer.Option(..., "--en", help="Description in English."),
    lao: str = typer.Option(..., "--lo", help="Description in Lao."),
) -> None:
    """Add a purpose (or change its descriptions)."""
    with _session() as session:
        add_purpose(session, code=code, description_lo=lao, description_en=english)
    typer.echo(f"purpose {code} saved")


@basis_app.command("add")
def basis_add(
    service: str = typer.Option(..., help="INSTANCE/CLASS/MEMBER/SUBSYSTEM/SERVICE[/VERSION]."),
    consumer: str = typer.Option(..., help="Member id, or group:CODE."),
    law: str = typer.Option(..., help="Law reference, e.g. 'Law on Statistics, art. 20'."),
    purpose: list[str] = typer.Option(..., help="Purpose allowed (repeat)."),
    item: list[str] = typer.Option(..., help="Data item covered (repeat)."),
    valid_from: str = typer.Option(None, help="ISO date or time (default: now)."),
    valid_to: str = typer.Option(None, help="ISO date or time (default: no end)."),
) -> None:
    """Register a legal basis for a consumer to call a service."""
    start = _moment(valid_from, what="valid-from") or datetime.now(UTC)
    with _session() as session:
        basis = add_legal_basis(
            session,
            service=service,
            consumer=consumer,
            law_reference=law,
            purposes=purpose,
            data_items=item,
            valid_from=start,
            valid_to=_moment(valid_to, what="valid-to"),
        )
        typer.echo(f"legal basis {basis.id} added for {service}")


@basis_app.command("list")
def basis_list(service: str = typer.Argument(..., help="Service id.")) -> None:
    """Show the legal bases registered for a service."""
    with _session() as session:
        for basis in legal_bases_for(session, service):
            until = basis.valid_to.isoformat() if basis.valid_to else "-"
            typer.echo(
                f"{basis.id}\t{basis.consumer}\t{basis.law_reference}\t"
                f"{','.join(basis.purposes)}\t{','.join(basis.data_items)}\t"
                f"{basis.valid_from.isoformat()}\t{until}"
            )


@policy_app.command("set")
def policy_set(
    service: str = typer.Argument(..., help="Service id."),
    mode: str = typer.Option(..., help="'consent' or 'legal_basis'."),
    item: list[str] = typer.Option(..., help="Data item the service returns (repeat)."),
) -> None:
    """Declare whether a service needs consent or rests on a legal basis."""
    with _session() as session:
        set_service_policy(session, service=service, mode=mode, data_items=item)
    typer.echo(f"{service}: {mode}")
