"""One-time enrolment tokens: how a staff account registers its first security key.

Officers and operators log in with WebAuthn only, so their first key cannot be registered
behind a login. The operator who creates the account runs ``onedoor idp key-enrolment LOGIN``
and hands the printed token to the officer with the initial password; the officer opens the
IdP's ``/enrol`` page, pastes the token and touches the key.

The token is ``<account id>.<expiry>.<MAC>``: HMAC-SHA256 under the MFA pepper
(:meth:`idp.mfa.keys.MfaKeys.digest`), truncated to 128 bits. It needs no table: it is
valid only until it expires (24 hours) and only while the account has no security key at
all, so registering the first key spends it. It never appears in a URL (the page posts it).
"""

from __future__ import annotations

import base64
import hmac
from datetime import UTC, datetime, timedelta

import typer
from sqlalchemy import select
from sqlalchemy.orm import Session

from idp.accounts.models import Account
from idp.accounts.rights import WEBAUTHN_REQUIRED, AccountKind
from idp.accounts.service import find_account_by_login
from idp.mfa.keys import MfaKeys, load_mfa_keys
from idp.mfa.models import WebAuthnCredential
from onedoor.config import get_settings
from onedoor.db import open_database, session_factory, transaction
from onedoor.errors import OneDoorError

TOKEN_TTL = timedelta(hours=24)
MAX_TOKEN_CHARS = 100
_PURPOSE = "idp.enrolment.first-security-key"
_MAC_BYTES = 16


class EnrolmentTokenError(OneDoorError):
    """The enrolment token is not valid, has expired or was already used."""

    code = "enrolment_token_invalid"
    http_status = 400


def _mac(keys: MfaKeys, payload: str) -> str:
    digest = keys.digest(payload.encode("ascii"), purpose=_PURPOSE)[:_MAC_BYTES]
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def _has_key(session: Session, account_id: int) -> bool:
    found = session.execute(
        select(WebAuthnCredential.id).where(WebAuthnCredential.account_id == account_id)
    ).first()
    return found is not None


def _needs_first_key(session: Session, account: Account | None) -> Account:
    if (
        account is None
        or not account.active
        or AccountKind(account.kind) not in WEBAUTHN_REQUIRED
        or _has_key(session, account.id)
    ):
        raise EnrolmentTokenError()
    return account


def issue_enrolment_token(
    session: Session, *, login: str, keys: MfaKeys, now: datetime, ttl: timedelta = TOKEN_TTL
) -> str:
    """A token for the staff account ``login``, which must not have a security key yet."""
    account = _needs_first_key(session, find_account_by_login(session, login=login))
    payload = f"{account.id}.{int((now + ttl).timestamp())}"
    return f"{payload}.{_mac(keys, payload)}"


def check_enrolment_token(
    session: Session, *, token: str, keys: MfaKeys, now: datetime
) -> Account:
    """The account ``token`` enrols a first key for; raises EnrolmentTokenError otherwise."""
    compact = token.strip() if isinstance(token, str) else ""
    parts = compact.split(".")
    if len(compact) > MAX_TOKEN_CHARS or len(parts) != 3:
        raise EnrolmentTokenError()
    account_id, expiry, mac = parts
    if not hmac.compare_digest(_mac(keys, f"{account_id}.{expiry}"), mac):
        raise EnrolmentTokenError()
    if not (account_id.isdigit() and expiry.isdigit()) or int(expiry) <= now.timestamp():
        raise EnrolmentTokenError()
    return _needs_first_key(session, session.get(Account, int(account_id)))


app = typer.Typer(help="First security keys of staff accounts.", no_args_is_help=True)


@app.command("key-enrolment")
def key_enrolment_command(
    login: str = typer.Argument(..., help="Login of an officer or operator without a key."),
) -> None:
    """Print a one-time token (24 h) that registers the account's first security key."""
    settings = get_settings()
    keys = load_mfa_keys(settings, create=True)
    with transaction(session_factory(open_database(settings.database_url))) as session:
        token = issue_enrolment_token(session, login=login, keys=keys, now=datetime.now(UTC))
    typer.echo(f"open {settings.url_for('idp', '/enrol')} and enter this token (shown once, "
               "valid 24 hours, only until a first key is registered):")
    typer.echo(token)
