"""Password rules from the attacker's side: common, patterned and personal passwords fail."""

from __future__ import annotations

import pytest

from idp.accounts.errors import PasswordRejectedError
from idp.accounts.policy import DEFAULT_POLICY, MAX_LENGTH, blocklist


@pytest.mark.parametrize(
    "password",
    [
        "password",
        "Password1",
        "P@ssw0rd",
        "qwertyuiop",
        "iloveyou",
        "123456789",
        "11111111",
        "abcdefghij",
        "zzzzzzzzzzzz",
        "abababababab",
        "sabaidee2024",
        "monkey1990!!",
        "!!dragon!!2000",
        "ONEDOOR2025",
        "vientiane123",
    ],
)
def test_common_and_patterned_passwords_are_refused(password: str) -> None:
    with pytest.raises(PasswordRejectedError) as caught:
        DEFAULT_POLICY.check(password)
    assert caught.value.code == "password_rejected"


def test_passwords_built_from_the_users_own_data_are_refused() -> None:
    context = ["LA0101198500123", "Somchai", "Phommavong"]
    for password in ("somchai1985", "Phommavong!!", "LA0101198500123", "onedoor-somchai"):
        with pytest.raises(PasswordRejectedError):
            DEFAULT_POLICY.check(password, context=context)


def test_short_and_overlong_passwords_are_refused() -> None:
    with pytest.raises(PasswordRejectedError, match="at least 8"):
        DEFAULT_POLICY.check("k9#vQ2m")
    with pytest.raises(PasswordRejectedError, match="at most"):
        DEFAULT_POLICY.check("x7" * (MAX_LENGTH // 2) + "q")
    with pytest.raises(PasswordRejectedError, match="control"):
        DEFAULT_POLICY.check("river boat\x00at dawn")


def test_passphrases_and_lao_script_are_accepted_without_composition_rules() -> None:
    DEFAULT_POLICY.check("river boat at dawn")
    DEFAULT_POLICY.check("ແມ່ນ້ຳຂອງໄຫຼຍາວ")
    DEFAULT_POLICY.check("k9#vQ2mz")  # exactly the minimum
    DEFAULT_POLICY.check("a" + "long passphrase " * 4)  # 64+ characters are allowed


def test_the_shipped_blocklist_has_thousands_of_entries_and_context_words() -> None:
    words = blocklist()
    assert len(words) > 2000
    assert {"123456", "password", "qwerty", "onedoor", "sabaidee"} <= words
