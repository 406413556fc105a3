"""What the privacy console needs besides the database: pseudonyms, the tree-head key, a clock."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Annotated

from fastapi import Depends, Request

from exchange.transparency.pseudonym import SubjectPseudonymizer
from exchange.transparency.tree_head import TreeHeadVerifier
from portal.citizen.backends import Lazy
from portal.errors import NotPermittedError, SignInRequiredError
from portal.login.sessions import SignedInUser, signed_in_user

DATA_PROTECTION_OFFICER = "data_protection_officer"


@dataclass(frozen=True)
class PrivacyBackends:
    """The log's pseudonymiser (to find a citizen) and tree-head verifier (to audit)."""

    pseudonymizer: Lazy[SubjectPseudonymizer]
    verifier: Lazy[TreeHeadVerifier]
    clock: Callable[[], float] = field(default=time.time)

    def now(self) -> datetime:
        return datetime.fromtimestamp(self.clock(), UTC)


def privacy_backends_of(request: Request) -> PrivacyBackends:
    backends: PrivacyBackends = request.app.state.privacy_backends
    return backends


def require_dpo(request: Request) -> SignedInUser:
    """The signed-in data-protection officer; anyone else is refused before the page runs."""
    user = signed_in_user(request, now=int(privacy_backends_of(request).clock()))
    if user is None:
        raise SignInRequiredError()
    if user.kind != DATA_PROTECTION_OFFICER:
        raise NotPermittedError()
    return user


DataProtectionOfficer = Annotated[SignedInUser, Depends(require_dpo)]
PrivacyDeps = Annotated[PrivacyBackends, Depends(privacy_backends_of)]
