"""``onedoor idp accounts``: centres, staff accounts and lockout resets from the server shell."""

from __future__ import annotations

import sys
from datetime import UTC, datetime

import typer
from sqlalchemy.orm import Session, sessionmaker

from idp.accounts.rights import WEBAUTHN_REQUIRED, AccountKind
from idp.accounts.service import (
    create_centre,
    create_staff_account,
    generate_initial_password,
    reset_lockout,
)
from idp.enrolment import issue_enrolment_token
from idp.mfa.keys import load_mfa_keys
from onedoor.config import get_settings
from onedoor.db import open_database, session_factory, transaction

app = typer.Typer(help="Centres, staff accounts and lockouts.", no_args_is_help=True)


def _sessions() -> sessionmaker[Session]:
    return session_factory(open_database(get_settings().database_url))


@app.command("create-centre")
def create_centre_command(
    code: str = typer.Argument(..., help="Centre code, e.g. VTE-01."),
    name_lo: str = typer.Option(..., "--name-lo", help="Name in Lao."),
    name_en: str = typer.Option(..., "--name-en", help="Name in English."),
    province: str = typer.Option(..., help="Province."),
) -> None:
    """Register a one-door service centre."""
    with transaction(_sessions()) as session:
        centre = create_centre(
            session, code=code, name_lo=name_lo, name_en=name_en, province=province,
            now=datetime.now(UTC),
        )
        typer.echo(f"centre {centre.code} created")


@app.command("create-officer")
def create_officer_command(
    login: str = typer.Argument(..., help="Login name of the officer."),
    centre: str = typer.Option(..., help="Code of the officer's centre."),
    name: str = typer.Option(..., help="Display name."),
    kind: AccountKind = typer.Option(AccountKind.OFFICER, help="Staff kind."),
    password_stdin: bool = typer.Option(
        False, "--password-stdin", help="Read the initial password from standard input."
    ),
) -> None:
    """Create a staff account; prints a one-time initial password unless one is read.

    Officers and operators log in with a security key only, so the one-time token that
    registers their first key on the IdP's /enrol page is printed too.
    """
    if kind is AccountKind.CITIZEN:
        raise typer.BadParameter("citizen accounts are created by identity proofing")
    password = sys.stdin.readline().rstrip("\n") if password_stdin else generate_initial_password()
    settings = get_settings()
    needs_key = kind in WEBAUTHN_REQUIRED
    keys = load_mfa_keys(settings, create=True) if needs_key else None
    now = datetime.now(UTC)
    with transaction(session_factory(open_database(settings.database_url))) as session:
        account = create_staff_account(
            session, kind=kind, login=login, display_name=name, password=password,
            now=now, centre_code=centre if kind is AccountKind.OFFICER else None,
        )
        token = (
            issue_enrolment_token(session, login=account.login, keys=keys, now=now)
            if keys is not None else None
        )
        typer.echo(f"{kind.value} {account.login} created; the password must be changed at "
                   "first login")
    if not password_stdin:
        typer.echo(f"initial password (shown once): {password}")
    if token is not None:
        typer.echo(f"first security key: open {settings.url_for('idp', '/enrol')} "
                   "(valid 24 hours, until a first key is registered)")
        typer.echo(f"enrolment token (shown once): {token}")


@app.command("reset-lockout")
def reset_lockout_command(login: str = typer.Argument(..., help="Login name to unlock.")) -> None:
    """Clear the failed attempts and lockout of a login."""
    with transaction(_sessions()) as session:
        reset_lockout(session, login=login, actor=None)
    typer.echo("lockout cleared")
