"""``onedoor exchange`` directory commands: instance, member, subsystem, ca, tsa, group,
service, grant and revoke. Each runs in one transaction against ONEDOOR_DATABASE_URL."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import typer
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from sqlalchemy.orm import Session

from exchange.central import directory, grants
from exchange.central.errors import InvalidEntryError
from exchange.messages.clock import utc_now
from exchange.xroad.identifiers import (
    parse_client_id,
    parse_group_id,
    parse_member_id,
    parse_service_id,
    parse_subject,
    parse_subsystem_id,
)
from onedoor.config import get_settings
from onedoor.db import open_database, session_factory, transaction

instance_app = typer.Typer(help="The X-Road instance this central server serves.")
member_app = typer.Typer(help="Members (organisations) and their subsystems.")
service_app = typer.Typer(help="The service catalogue.")
trust_app = typer.Typer(help="Trusted CAs and the timestamp authority.")
group_app = typer.Typer(help="Global groups.")


@contextmanager
def _session() -> Iterator[Session]:
    engine = open_database(get_settings().database_url)
    try:
        with transaction(session_factory(engine)) as session:
            yield session
    finally:
        engine.dispose()


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InvalidEntryError(f"cannot read {path}: {exc.strerror or exc}") from exc


def _certificate(path: Path) -> x509.Certificate:
    try:
        return x509.load_pem_x509_certificate(_read(path))
    except ValueError as exc:
        raise InvalidEntryError(f"{path} is not a PEM certificate") from exc


def _public_key(path: Path) -> ec.EllipticCurvePublicKey:
    """An EC public key from a PEM public key or certificate file."""
    data = _read(path)
    try:
        key: Any = (
            x509.load_pem_x509_certificate(data).public_key()
            if b"CERTIFICATE" in data
            else serialization.load_pem_public_key(data)
        )
    except ValueError as exc:
        raise InvalidEntryError(f"{path} is not a PEM public key or certificate") from exc
    if not isinstance(key, ec.EllipticCurvePublicKey):
        raise InvalidEntryError("the encryption key must be an EC (P-256) key")
    return key


@instance_app.command("init")
def instance_init(instance: str = typer.Argument(..., help="Instance code, e.g. LA.")) -> None:
    """Create the instance (once); the global configuration names it."""
    with _session() as session:
        directory.init_instance(session, instance=instance, now=utc_now())
    typer.echo(f"instance {instance}")


@member_app.command("add")
def member_add(
    member: str = typer.Argument(..., help="INSTANCE/CLASS/MEMBER"),
    name: str = typer.Option(..., help="The organisation's name."),
    gateway_url: str = typer.Option(..., help="https:// address of its security gateway."),
    tls_cert: Path = typer.Option(..., help="PEM TLS certificate of its gateway."),
    signing_cert: Path = typer.Option(..., help="PEM message-signing certificate."),
    encryption_key: Path = typer.Option(..., help="PEM EC public key (or certificate)."),
) -> None:
    """Register a member organisation."""
    with _session() as session:
        directory.add_member(
            session, member=parse_member_id(member), name=name, gateway_url=gateway_url,
            tls_certificate=_certificate(tls_cert), signing_certificate=_certificate(signing_cert),
            encryption_key=_public_key(encryption_key), now=utc_now(),
        )
    typer.echo(f"member {member} registered")


@member_app.command("add-subsystem")
def member_add_subsystem(
    subsystem: str = typer.Argument(..., help="INSTANCE/CLASS/MEMBER/SUBSYSTEM"),
) -> None:
    """Register a subsystem of a registered member."""
    with _session() as session:
        directory.add_subsystem(session, subsystem=parse_subsystem_id(subsystem), now=utc_now())
    typer.echo(f"subsystem {subsystem} registered")


@trust_app.command("add-ca")
def trust_add_ca(name: str, certificate: Path) -> None:
    """Trust a CA (the organisation CA) to issue member certificates."""
    with _session() as session:
        directory.add_trusted_ca(
            session, name=name, certificate=_certificate(certificate), now=utc_now()
        )
    typer.echo(f"CA {name} trusted")


@trust_app.command("set-tsa")
def trust_set_tsa(url: str, certificate: Path) -> None:
    """Set the timestamp authority gateways use for the message log."""
    with _session() as session:
        directory.set_timestamp_authority(
            session, url=url, certificate=_certificate(certificate), now=utc_now()
        )
    typer.echo("timestamp authority set")


@group_app.command("add-member")
def group_add_member(
    group: str = typer.Argument(..., help="group:INSTANCE/CODE"),
    client: str = typer.Argument(..., help="member or subsystem"),
) -> None:
    """Add a member or subsystem to a global group (created on first use)."""
    with _session() as session:
        directory.add_group_member(
            session, group=parse_group_id(group), client=parse_client_id(client), now=utc_now()
        )
    typer.echo(f"{client} added to {group}")


@service_app.command("add")
def service_add(
    service: str = typer.Argument(..., help="INSTANCE/CLASS/MEMBER/SUBSYSTEM/SERVICE[/VERSION]"),
    title: str = typer.Option(..., help="A short human title."),
    openapi: Path | None = typer.Option(None, help="OpenAPI description (JSON file)."),
) -> None:
    """Add a service to the catalogue; nobody may call it until ``grant``."""
    description = None
    if openapi is not None:
        try:
            description = json.loads(_read(openapi))
        except ValueError as exc:
            raise InvalidEntryError(f"{openapi} is not JSON") from exc
        if not isinstance(description, dict):
            raise InvalidEntryError("an OpenAPI description is a JSON object")
    with _session() as session:
        directory.add_service(
            session, service=parse_service_id(service), title=title, openapi=description,
            now=utc_now(),
        )
    typer.echo(f"service {service} added (no access granted yet)")


def grant(
    service: str = typer.Argument(..., help="The service identifier."),
    subject: str = typer.Argument(..., help="Member, subsystem, or group:INSTANCE/CODE."),
    method: str = typer.Option("*", help="HTTP method, or * for any."),
    path_prefix: str = typer.Option("/", help="REST path prefix the grant covers."),
) -> None:
    """Grant a member, subsystem or global group access to a service."""
    with _session() as session:
        grants.grant(
            session, service=parse_service_id(service), subject=parse_subject(subject),
            method=method, path_prefix=path_prefix, now=utc_now(),
        )
    typer.echo(f"granted {method} {path_prefix} on {service} to {subject}")


def revoke(service: str, subject: str) -> None:
    """Withdraw every grant of a subject on a service."""
    with _session() as session:
        count = grants.revoke(
            session, service=parse_service_id(service), subject=parse_subject(subject),
            now=utc_now(),
        )
    typer.echo(f"revoked {count} grant(s)")
