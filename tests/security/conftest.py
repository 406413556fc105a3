"""Fixtures borrowed for the attacks: the fuzzers' prepared OneDoor and the idp test harness."""

from __future__ import annotations

from tests.fuzz.conftest import fuzz_runtime, gateway_world, person_ids
from tests.idp.oidc.conftest import authenticator, clock, idp

__all__ = ["authenticator", "clock", "fuzz_runtime", "gateway_world", "idp", "person_ids"]
