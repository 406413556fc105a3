"""What the citizen pages call besides the database: MFA keys, consent keys, log pseudonyms.

Each is resolved once, lazily, so the portal starts even where a back end is not configured;
its pages then say the service is not available yet.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Annotated, Generic, TypeVar

from fastapi import Depends, Request

from exchange.consent.signing import ConsentKeys
from exchange.transparency.pseudonym import SubjectPseudonymizer
from idp.mfa.keys import MfaKeys
from onedoor.errors import ConfigurationError
from portal.errors import NotAvailableYetError, NotPermittedError, SignInRequiredError
from portal.login.sessions import SignedInUser, signed_in_user

T = TypeVar("T")
CITIZEN = "citizen"


class Lazy(Generic[T]):
    """A value built on first use; a ConfigurationError means the feature is not available."""

    def __init__(self, build: Callable[[], T | None]) -> None:
        self._build = build
        self._value: T | None = None
        self._lock = threading.Lock()

    def get(self) -> T:
        with self._lock:
            if self._value is None:
                try:
                    self._value = self._build()
                except ConfigurationError as exc:
                    raise NotAvailableYetError() from exc
            if self._value is None:
                raise NotAvailableYetError()
            return self._value


@dataclass(frozen=True)
class CitizenBackends:
    mfa_keys: Lazy[MfaKeys]
    consent_keys: Lazy[ConsentKeys]
    pseudonymizer: Lazy[SubjectPseudonymizer]
    clock: Callable[[], float] = field(default=time.time)


def backends_of(request: Request) -> CitizenBackends:
    backends: CitizenBackends = request.app.state.citizen_backends
    return backends


def require_citizen(request: Request) -> SignedInUser:
    """The signed-in citizen; anyone else is refused before the page runs."""
    user = signed_in_user(request, now=int(backends_of(request).clock()))
    if user is None:
        raise SignInRequiredError()
    if user.kind != CITIZEN or not user.person_id:
        raise NotPermittedError()
    return user


Citizen = Annotated[SignedInUser, Depends(require_citizen)]
Backends = Annotated[CitizenBackends, Depends(backends_of)]
