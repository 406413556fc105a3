"""Access rights: denied by default; only ``grant`` opens a service to a member, subsystem or
global group, for one HTTP method (or ``*``) under a REST path prefix."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from exchange.central.directory import bump_serial, check_registered, service_row
from exchange.central.errors import AlreadyRegisteredError, InvalidEntryError, NotRegisteredError
from exchange.central.models import CentralAccessRight, CentralGroup
from exchange.xroad.identifiers import ClientId, GlobalGroupId, ServiceId

HTTP_METHODS = frozenset({"*", "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


def grant(
    session: Session,
    *,
    service: ServiceId,
    subject: ClientId | GlobalGroupId,
    method: str = "*",
    path_prefix: str = "/",
    now: datetime,
) -> None:
    """The provider opens ``service`` to ``subject`` for ``method`` under ``path_prefix``."""
    row = service_row(session, service)
    method = method.upper()
    if method not in HTTP_METHODS:
        raise InvalidEntryError(f"method must be one of {', '.join(sorted(HTTP_METHODS))}")
    if not path_prefix.startswith("/") or ".." in path_prefix.split("/"):
        raise InvalidEntryError("path prefix must be an absolute path without '..'")
    if isinstance(subject, ClientId):
        check_registered(session, subject)
    elif session.scalar(select(CentralGroup).where(CentralGroup.code == str(subject))) is None:
        raise NotRegisteredError(f"group {subject} does not exist")
    exists = select(CentralAccessRight).where(
        CentralAccessRight.service_pk == row.id,
        CentralAccessRight.subject == str(subject),
        CentralAccessRight.method == method,
        CentralAccessRight.path_prefix == path_prefix,
    )
    if session.scalar(exists) is not None:
        raise AlreadyRegisteredError("this access right is already granted")
    session.add(
        CentralAccessRight(
            service_pk=row.id, subject=str(subject), method=method,
            path_prefix=path_prefix, granted_at=now,
        )
    )
    bump_serial(session, now)


def revoke(
    session: Session, *, service: ServiceId, subject: ClientId | GlobalGroupId, now: datetime
) -> int:
    """Withdraw every right of ``subject`` on ``service``; returns how many were removed."""
    row = service_row(session, service)
    rights = session.scalars(
        select(CentralAccessRight).where(
            CentralAccessRight.service_pk == row.id, CentralAccessRight.subject == str(subject)
        )
    ).all()
    for right in rights:
        session.delete(right)
    if rights:
        bump_serial(session, now)
    return len(rights)
