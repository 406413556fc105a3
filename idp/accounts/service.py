"""Centres and staff accounts, passwords and lockout resets: keyword-only service functions."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from idp.accounts import throttle
from idp.accounts.errors import (
    AccountExistsError,
    CentreExistsError,
    InvalidCredentialsError,
    PasswordRejectedError,
    UnknownAccountError,
    UnknownCentreError,
)
from idp.accounts.hashing import DEFAULT_HASHER, PasswordHasher
from idp.accounts.levels import AssuranceLevel
from idp.accounts.models import Account, Centre
from idp.accounts.policy import DEFAULT_POLICY, PasswordPolicy
from idp.accounts.rights import AccountKind, Right, require_right
from onedoor.errors import InvalidRequestError

Random = Callable[[int], bytes]
UNAMBIGUOUS = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I/L confusion


def random_string(length: int, *, random: Random = secrets.token_bytes) -> str:
    """``length`` characters from :data:`UNAMBIGUOUS` (5 bits each, no modulo bias)."""
    return "".join(UNAMBIGUOUS[byte % 32] for byte in random(length))


def generate_initial_password(*, random: Random = secrets.token_bytes) -> str:
    """A one-time password of 16 unambiguous characters (80 bits), shown once."""
    raw = random_string(16, random=random)
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))


def create_centre(
    session: Session, *, code: str, name_lo: str, name_en: str, province: str, now: datetime
) -> Centre:
    code = code.strip().upper()
    if not code or len(code) > 32 or not all(ch.isalnum() or ch in "-_" for ch in code):
        raise InvalidRequestError("centre code: 1-32 letters, digits, '-' or '_'")
    if not name_lo.strip() or not name_en.strip() or not province.strip():
        raise InvalidRequestError("centre names and province must not be empty")
    if session.execute(select(Centre.id).where(Centre.code == code)).first() is not None:
        raise CentreExistsError(f"centre {code} already exists")
    centre = Centre(
        code=code, name_lo=name_lo.strip(), name_en=name_en.strip(),
        province=province.strip(), created_at=now,
    )
    session.add(centre)
    session.flush()
    return centre


def get_centre(session: Session, *, code: str) -> Centre:
    centre = session.execute(
        select(Centre).where(Centre.code == code.strip().upper())
    ).scalar_one_or_none()
    if centre is None:
        raise UnknownCentreError(f"no centre {code.strip().upper()}")
    return centre


def get_account(session: Session, *, account_id: int) -> Account:
    account = session.get(Account, account_id)
    if account is None:
        raise UnknownAccountError()
    return account


def find_account_by_login(session: Session, *, login: str) -> Account | None:
    key = throttle.normalise_login(login)
    return session.execute(select(Account).where(Account.login == key)).scalar_one_or_none()


def check_login_name(login: str) -> str:
    key = throttle.normalise_login(login)
    if not 3 <= len(key) <= 128 or any(ch.isspace() for ch in key):
        raise InvalidRequestError("login: 3-128 characters without spaces")
    return key


def new_account(
    session: Session,
    *,
    kind: AccountKind,
    login: str,
    display_name: str,
    password: str | None,
    assurance_level: AssuranceLevel,
    now: datetime,
    centre: Centre | None = None,
    person_id: str | None = None,
    password_context: Iterable[str] = (),
    password_must_change: bool = False,
    hasher: PasswordHasher = DEFAULT_HASHER,
    policy: PasswordPolicy = DEFAULT_POLICY,
    random: Random = secrets.token_bytes,
) -> Account:
    """Validate everything, then add one account (nothing is written if anything is refused)."""
    key = check_login_name(login)
    if not display_name.strip() or len(display_name) > 200:
        raise InvalidRequestError("display name: 1-200 characters")
    if kind is AccountKind.OFFICER and centre is None:
        raise InvalidRequestError("an officer account belongs to a centre")
    if password is not None:
        policy.check(password, context=[key, display_name, *(password_context or ())])
    if find_account_by_login(session, login=key) is not None:
        raise AccountExistsError("an account with this login already exists")
    if person_id is not None and session.execute(
        select(Account.id).where(Account.person_id == person_id)
    ).first() is not None:
        raise AccountExistsError("this person already has an account")
    account = Account(
        subject=random(16).hex(),
        login=key,
        kind=kind.value,
        centre_id=centre.id if centre is not None else None,
        person_id=person_id,
        display_name=display_name.strip(),
        password_hash=hasher.hash(password) if password is not None else None,
        password_must_change=password_must_change,
        assurance_level=assurance_level.value,
        active=True,
        created_at=now,
        password_changed_at=now if password is not None else None,
    )
    session.add(account)
    session.flush()
    return account


def create_staff_account(
    session: Session,
    *,
    kind: AccountKind,
    login: str,
    display_name: str,
    password: str,
    now: datetime,
    centre_code: str | None = None,
    password_must_change: bool = True,
    hasher: PasswordHasher = DEFAULT_HASHER,
    policy: PasswordPolicy = DEFAULT_POLICY,
    random: Random = secrets.token_bytes,
) -> Account:
    """An officer (of ``centre_code``), data-protection officer or operator account."""
    if kind is AccountKind.CITIZEN:
        raise InvalidRequestError("citizen accounts are created by identity proofing")
    if kind is AccountKind.OFFICER and centre_code is None:
        raise InvalidRequestError("an officer account belongs to a centre")
    centre = get_centre(session, code=centre_code) if centre_code is not None else None
    # Staff identity is vouched for by the operator who creates the account.
    return new_account(
        session, kind=kind, login=login, display_name=display_name, password=password,
        assurance_level=AssuranceLevel.SUBSTANTIAL, now=now, centre=centre,
        password_must_change=password_must_change, hasher=hasher, policy=policy, random=random,
    )


def change_password(
    session: Session,
    *,
    account_id: int,
    current_password: str,
    new_password: str,
    now: datetime,
    hasher: PasswordHasher = DEFAULT_HASHER,
    policy: PasswordPolicy = DEFAULT_POLICY,
) -> None:
    """Replace the password after checking the current one (SP 800-63B 3.1.1.2)."""
    account = get_account(session, account_id=account_id)
    if account.password_hash is None:
        raise InvalidCredentialsError()
    hasher.verify(account.password_hash, current_password)
    if new_password == current_password:
        raise PasswordRejectedError("the new password must differ from the current one")
    policy.check(new_password, context=[account.login, account.display_name,
                                        account.person_id or ""])
    account.password_hash = hasher.hash(new_password)
    account.password_must_change = False
    account.password_changed_at = now
    session.flush()


def reset_lockout(session: Session, *, login: str, actor: Account | None) -> None:
    """Clear a login's failed attempts; ``actor`` None means the operator on the server CLI."""
    if actor is not None:
        require_right(actor, Right.RESET_LOCKOUT)
    if find_account_by_login(session, login=login) is None:
        raise UnknownAccountError(f"no account with login {throttle.normalise_login(login)}")
    throttle.clear(session, login=login)
