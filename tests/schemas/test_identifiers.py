"""The person identifier's Verhoeff check digit catches typing errors."""

from __future__ import annotations

import pytest

from schemas.errors import InvalidPersonIdError
from schemas.identifiers import PersonId, verhoeff_check_digit, verhoeff_is_valid


def test_known_answers() -> None:
    # Published Verhoeff examples: 236 -> 3, 12345 -> 1.
    assert verhoeff_check_digit("236") == "3"
    assert verhoeff_check_digit("12345") == "1"
    assert verhoeff_is_valid("2363")


def test_issue_and_parse() -> None:
    pid = PersonId.issue(province=13, serial=42)
    assert pid.value == "13000000042" + verhoeff_check_digit("13000000042")
    assert PersonId.parse(pid.formatted()) == pid
    assert PersonId.parse(f" {pid.value[:4]} {pid.value[4:]} ") == pid
    assert pid.province == "13"


def test_every_single_digit_change_is_detected() -> None:
    pid = PersonId.issue(province=1, serial=123456789).value
    for position in range(12):
        for digit in "0123456789":
            if digit == pid[position]:
                continue
            changed = pid[:position] + digit + pid[position + 1 :]
            with pytest.raises(InvalidPersonIdError):
                PersonId.parse(changed)


def test_every_adjacent_transposition_is_detected() -> None:
    pid = PersonId.issue(province=11, serial=908172635).value
    for i in range(11):
        if pid[i] != pid[i + 1]:
            swapped = pid[:i] + pid[i + 1] + pid[i] + pid[i + 2 :]
            assert not verhoeff_is_valid(swapped)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "12",
        "191234567890",
        "001234567890",
        "01234567890a",
        "0" * 40,
        "".join(chr(0xFF10 + int(d)) for d in "011234567890"),
    ],
)
def test_malformed_identifiers_are_refused(text: str) -> None:
    with pytest.raises(InvalidPersonIdError) as caught:
        PersonId.parse(text)
    assert caught.value.code == "invalid_person_id"


def test_constructor_refuses_a_bad_check_digit() -> None:
    with pytest.raises(InvalidPersonIdError):
        PersonId("011234567891")
