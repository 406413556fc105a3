"""``onedoor idp``: command-line operations of the idp component."""

from __future__ import annotations

import typer

from idp.accounts.cli import app as accounts_app
from idp.enrolment import app as enrolment_app
from idp.oidc.cli import client_app, keys_app

app = typer.Typer(
    help="Identity provider: OpenID Connect keys and clients, accounts.", no_args_is_help=True
)
app.add_typer(keys_app, name="keys")
app.add_typer(client_app, name="client")
app.add_typer(accounts_app, name="accounts")
app.add_typer(enrolment_app, name="staff-keys")
