"""The sealed sign-in state: PKCE per RFC 7636, refused when altered, replayed late or foreign."""

from __future__ import annotations

import pytest

from portal.errors import CsrfError
from portal.login.state import LOGIN_STATE_TTL, LoginState, open_login_state, seal_login_state

KEY = b"k" * 32
NOW = 1_800_000_000


def test_rfc7636_appendix_b_challenge() -> None:
    state = LoginState(
        state="s", nonce="n", code_verifier="dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
    )
    assert state.code_challenge == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"


def test_the_state_survives_the_round_trip_unreadable() -> None:
    original = LoginState(state="state-1", nonce="nonce-1", code_verifier="v" * 43)
    sealed = seal_login_state(original, key=KEY, now=NOW)
    assert "state-1" not in sealed and "v" * 43 not in sealed
    assert open_login_state(sealed, key=KEY, now=NOW + LOGIN_STATE_TTL) == original


@pytest.mark.parametrize(
    ("mutate", "key", "now"),
    [
        (lambda s: s[:-2] + ("A" if s[-2] != "A" else "B") + s[-1], KEY, NOW),  # altered
        (lambda s: s, b"x" * 32, NOW),  # sealed by someone else
        (lambda s: s, KEY, NOW + LOGIN_STATE_TTL + 1),  # too old
        (lambda s: "", KEY, NOW),  # no sign-in in progress
        (lambda s: "not a token", KEY, NOW),
    ],
)
def test_a_bad_state_is_refused(mutate: object, key: bytes, now: int) -> None:
    sealed = seal_login_state(LoginState("s", "n", "v" * 43), key=KEY, now=NOW)
    with pytest.raises(CsrfError):
        open_login_state(mutate(sealed), key=key, now=now)  # type: ignore[operator]
