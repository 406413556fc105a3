"""``onedoor exchange verify``, ``export`` and ``log timestamp``: a gateway's message log."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from cryptography import x509

from exchange.gateway import logcontainer
from exchange.gateway.logstamp import LogTimestampError, stamp_pending
from exchange.gateway.messagelog import LogChainError
from exchange.xroad.identifiers import parse_member_id
from keys.layout import TIMESTAMP_AUTHORITY, certificate_path
from keys.pki import load_pki
from keys.tsa.client import HttpTimestampTransport, LocalTimestampTransport, TimestampTransport
from keys.tsa.errors import TimestampError
from onedoor.config import Settings, get_settings
from onedoor.db import open_database, session_factory
from onedoor.errors import ConfigurationError

log_app = typer.Typer(help="The gateways' message logs.", no_args_is_help=True)

TSA_CERTIFICATE_HELP = (
    "PEM certificate of the trusted time-stamp authority (default: the PKI's, in the state dir)."
)


def verify(
    gateway: str | None = typer.Option(None, help="Verify this member's log in the database."),
    container: Path | None = typer.Option(None, help="Verify an exported container file."),
    tsa_certificate: Path | None = typer.Option(None, help=TSA_CERTIFICATE_HELP),
    times: bool = typer.Option(False, help="Print when each message is proven to have existed."),
) -> None:
    """Check a message log chain and its timestamps offline; names the first bad row (exit 1)."""
    if (gateway is None) == (container is None):
        raise typer.BadParameter("give exactly one of --gateway or --container")
    settings = get_settings()
    tsa = trusted_tsa_certificate(settings, tsa_certificate)
    try:
        if container is not None:
            try:
                data = json.loads(container.read_text())
            except (OSError, ValueError) as exc:
                raise LogChainError(f"cannot read container {container}", seq=None) from exc
            result = logcontainer.verify_log_container(
                data if isinstance(data, dict) else {}, tsa_certificate=tsa
            )
        else:
            member = str(parse_member_id(gateway or ""))
            engine = open_database(settings.database_url)
            try:
                with session_factory(engine)() as session:
                    result = logcontainer.verify_gateway_log(
                        session, gateway=member, tsa_certificate=tsa
                    )
            finally:
                engine.dispose()
    except (LogChainError, LogTimestampError) as exc:
        typer.echo(f"FAILED: {exc.message}", err=True)
        raise typer.Exit(1) from None
    typer.echo(
        f"ok: {result.records} record(s) verified, {result.records - result.unstamped} "
        f"timestamped, {len(result.proven)} message(s) proven"
    )
    if times:
        for message_id, when in sorted(result.proven.items(), key=lambda item: item[1]):
            typer.echo(f"{message_id}: existed by {when.isoformat()}")


def export(
    gateway: str = typer.Option(..., help="The member whose gateway log to export."),
    output: Path = typer.Option(..., help="Where to write the JSON container."),
    message_id: str | None = typer.Option(None, help="Only this message's records."),
) -> None:
    """Export a gateway's message log (bodies stay encrypted) as a verifiable container."""
    member = str(parse_member_id(gateway))
    engine = open_database(get_settings().database_url)
    try:
        with session_factory(engine)() as session:
            container = logcontainer.export_container(
                session, gateway=member, message_id=message_id
            )
    finally:
        engine.dispose()
    output.write_text(json.dumps(container, indent=1, sort_keys=True))
    typer.echo(f"exported {len(container['records'])} record(s) to {output}")


@log_app.command("timestamp")
def timestamp(
    gateway: str = typer.Option(..., help="The member whose gateway log to timestamp."),
    tsa_url: str | None = typer.Option(
        None, help="RFC 3161 TSA over HTTP (default: this state dir's own TSA, in process)."
    ),
    tsa_certificate: Path | None = typer.Option(None, help=TSA_CERTIFICATE_HELP),
) -> None:
    """Timestamp the rows of a gateway's log not yet stamped (RFC 3161, one token a batch)."""
    member = str(parse_member_id(gateway))
    settings = get_settings()
    engine = open_database(settings.database_url)
    sessions = session_factory(engine)
    try:
        transport: TimestampTransport
        tsa: x509.Certificate | None
        if tsa_url is None:
            pki = load_pki(settings)
            transport, tsa = LocalTimestampTransport(sessions, pki), pki.timestamp_authority
        else:
            transport = HttpTimestampTransport(tsa_url)
            tsa = trusted_tsa_certificate(settings, tsa_certificate)
        run = stamp_pending(
            sessions=sessions, gateway=member, transport=transport, tsa_certificate=tsa
        )
    except TimestampError as exc:
        typer.echo(f"FAILED: {exc.message}; the rows stay unstamped until the next run", err=True)
        raise typer.Exit(1) from None
    finally:
        engine.dispose()
    typer.echo(f"stamped {run.rows} row(s) in {run.batches} batch(es)")


def trusted_tsa_certificate(settings: Settings, path: Path | None) -> x509.Certificate | None:
    """The TSA certificate from ``path``, else the PKI's in the state dir, else None."""
    if path is None:
        path = certificate_path(settings.keys_dir, TIMESTAMP_AUTHORITY)
        if not path.exists():
            return None
    try:
        return x509.load_pem_x509_certificate(path.read_bytes())
    except (OSError, ValueError) as exc:
        raise ConfigurationError(f"TSA certificate {path} is unreadable") from exc
