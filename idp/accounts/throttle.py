"""Throttling of failed authentication attempts (NIST SP 800-63B rev. 4 section 3.2.2).

Two counters, both in the database so every replica sees the same numbers:

- per login name (also for names that have no account, so throttling reveals nothing about
  which accounts exist): after ``free_failures`` consecutive failures each further attempt
  must wait ``base_delay`` seconds, doubling per failure up to ``max_delay``; at
  ``lockout_failures`` (100, the SP 800-63B maximum) the login is locked until an officer
  resets it. Password and second-factor failures both count; a completed login clears it.
- per source address (IPv4 address, or the IPv6 /64 an attacker usually holds in full):
  at most ``source_failures`` failures per ``source_window`` seconds, whatever the login.
  A centre puts many citizens behind one address, hence the generous default.
"""

from __future__ import annotations

import ipaddress
import math
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from idp.accounts.errors import AccountLockedError, TooManyAttemptsError
from idp.accounts.models import Throttle

LOGIN = "login"
SOURCE = "source"


@dataclass(frozen=True)
class ThrottlePolicy:
    free_failures: int = 5
    base_delay: int = 30
    max_delay: int = 3600
    lockout_failures: int = 100
    source_failures: int = 100
    source_window: int = 600

    def delay_after(self, failures: int) -> int:
        """Seconds to wait after ``failures`` consecutive failures (0 while below the limit)."""
        if failures < self.free_failures:
            return 0
        exponent = min(failures - self.free_failures, 32)
        return int(min(self.base_delay * 2**exponent, self.max_delay))


DEFAULT_THROTTLE = ThrottlePolicy()


def normalise_login(login: str) -> str:
    return unicodedata.normalize("NFKC", login).strip().casefold()


def source_key(source: str) -> str:
    """The address a source counter is kept for; unparsable sources share one bucket."""
    try:
        address = ipaddress.ip_address(source.strip())
    except ValueError:
        return "unparsable"
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return str(address)


def _row(session: Session, scope: str, key: str) -> Throttle | None:
    stmt = select(Throttle).where(Throttle.scope == scope, Throttle.key == key)
    return session.execute(stmt.execution_options(populate_existing=True)).scalar_one_or_none()


def _retry_after(until: datetime, now: datetime) -> int:
    return max(1, math.ceil((until - now).total_seconds()))


def check(
    session: Session, *, login: str, source: str, now: datetime,
    policy: ThrottlePolicy = DEFAULT_THROTTLE,
) -> None:
    """Raise AccountLockedError or TooManyAttemptsError if an attempt may not be made now."""
    by_source = _row(session, SOURCE, source_key(source))
    if by_source is not None and by_source.failures >= policy.source_failures:
        window_end = by_source.window_started_at + timedelta(seconds=policy.source_window)
        if now < window_end:
            raise TooManyAttemptsError(_retry_after(window_end, now))
    by_login = _row(session, LOGIN, normalise_login(login))
    if by_login is None:
        return
    if by_login.locked_at is not None:
        raise AccountLockedError()
    delay = policy.delay_after(by_login.failures)
    retry_at = by_login.last_failure_at + timedelta(seconds=delay)
    if delay and now < retry_at:
        raise TooManyAttemptsError(_retry_after(retry_at, now))


def _increment(
    session: Session, scope: str, key: str, now: datetime, window: int | None
) -> Throttle:
    restart = (
        Throttle.window_started_at <= now - timedelta(seconds=window) if window else None
    )
    values = {
        "failures": Throttle.failures + 1 if restart is None
        else case((restart, 1), else_=Throttle.failures + 1),
        "last_failure_at": now,
    }
    if restart is not None:
        values["window_started_at"] = case((restart, now), else_=Throttle.window_started_at)
    where = (Throttle.scope == scope, Throttle.key == key)
    for _ in range(2):
        result = session.execute(
            update(Throttle).where(*where).values(values).execution_options(
                synchronize_session=False
            )
        )
        if getattr(result, "rowcount", 0):
            break
        try:
            with session.begin_nested():
                session.add(Throttle(
                    scope=scope, key=key, failures=1, window_started_at=now,
                    last_failure_at=now, locked_at=None,
                ))
            break
        except IntegrityError:  # another replica inserted it first: increment that row
            continue
    row = _row(session, scope, key)
    assert row is not None
    return row


def record_failure(
    session: Session, *, login: str, source: str, now: datetime,
    policy: ThrottlePolicy = DEFAULT_THROTTLE,
) -> None:
    """Count one failure for the login and the source; raise AccountLockedError at the limit."""
    _increment(session, SOURCE, source_key(source), now, policy.source_window)
    row = _increment(session, LOGIN, normalise_login(login), now, None)
    if row.failures >= policy.lockout_failures:
        if row.locked_at is None:
            row.locked_at = now
            session.flush()
        raise AccountLockedError()


def record_success(session: Session, *, login: str) -> None:
    """A completed login clears the login's consecutive failures (not the source's)."""
    clear(session, login=login)


def clear(session: Session, *, login: str) -> None:
    session.execute(
        delete(Throttle)
        .where(Throttle.scope == LOGIN, Throttle.key == normalise_login(login))
        .execution_options(synchronize_session=False)
    )


def is_locked(session: Session, *, login: str) -> bool:
    row = _row(session, LOGIN, normalise_login(login))
    return row is not None and row.locked_at is not None
