"""What the officer pages need besides the database: the registry link, a clock, a hook."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Annotated

from fastapi import Depends, Request

from portal.errors import NotPermittedError, SignInRequiredError
from portal.login.sessions import SignedInUser, signed_in_user
from portal.officer.link import CivilRegistryLink

OFFICER = "officer"


@dataclass(frozen=True)
class OfficerBackends:
    """``after_send`` runs after an application reached the registry (the demo and tests
    deliver life events there, so the outcomes show at once; production runs a worker)."""

    link: CivilRegistryLink
    after_send: Callable[[], object] | None = None
    clock: Callable[[], float] = field(default=time.time)

    def now(self) -> int:
        return int(self.clock())

    def today(self) -> date:
        return datetime.fromtimestamp(self.clock(), UTC).date()


def officer_backends_of(request: Request) -> OfficerBackends:
    backends: OfficerBackends = request.app.state.officer_backends
    return backends


def require_officer(request: Request) -> SignedInUser:
    """The signed-in officer of a centre; anyone else is refused before the page runs."""
    user = signed_in_user(request, now=officer_backends_of(request).now())
    if user is None:
        raise SignInRequiredError()
    if user.kind != OFFICER or not user.centre:
        raise NotPermittedError()
    return user


Officer = Annotated[SignedInUser, Depends(require_officer)]
OfficerDeps = Annotated[OfficerBackends, Depends(officer_backends_of)]
