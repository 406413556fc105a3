"""Entries are validated before logging, canonical byte for byte, and carry no plain ids."""

from __future__ import annotations

import dataclasses
from datetime import datetime

import pytest

from exchange.transparency.entry import canonical_json, parse_entry, to_entry
from exchange.transparency.errors import InvalidEntryError
from exchange.transparency.pseudonym import HmacPseudonymizer
from tests.exchange.transparency.conftest import T0, event


def test_canonical_form_is_sorted_compact_utf8(pseudonymizer: HmacPseudonymizer) -> None:
    entry = to_entry(event(0, purpose="ການສຶກສາ"), sequence=42, now=T0, pseudonymizer=pseudonymizer)
    data = entry.canonical_bytes()
    subject = pseudonymizer.pseudonym("10000000")
    assert (
        data
        == (
            '{"basis_kind":"legal_basis","basis_reference":"decree-2024-17/art-5",'
            '"data_items":["name","birth_date"],"member":"LA/GOV/MIN0/benefits",'
            '"message_id":"msg-0","outcome":"allowed","purpose":"ການສຶກສາ","reason_code":null,'
            '"seq":42,"service":"LA/GOV/CIVIL/registry/getPerson/v1",'
            f'"subject":"{subject}","time":"2026-03-01T08:00:00.000000Z",'
            '"user_id":"officer-0","v":1}'
        ).encode()
    )
    assert parse_entry(data) == entry


def test_non_canonical_bytes_are_not_accepted_as_an_entry(
    pseudonymizer: HmacPseudonymizer,
) -> None:
    data = to_entry(event(1), sequence=1, now=T0, pseudonymizer=pseudonymizer).canonical_bytes()
    with pytest.raises(ValueError):
        parse_entry(data.replace(b'","', b'", "', 1))


@pytest.mark.parametrize(
    "changes",
    [
        {"member": "not-an-xroad-id"},
        {"member": ""},
        {"user_id": " "},
        {"service": "x" * 256},
        {"purpose": "line\nbreak"},
        {"data_items": ()},
        {"data_items": "name"},
        {"outcome": "maybe"},
        {"basis_kind": "because"},
        {"basis_kind": None},
        {"basis_kind": "consent", "basis_reference": None},
        {"subject_id": "  "},
        {"message_id": None},
        {"time": datetime(2026, 1, 1)},
    ],
)
def test_bad_events_are_refused_with_a_stable_code(
    changes: dict[str, object], pseudonymizer: HmacPseudonymizer
) -> None:
    with pytest.raises(InvalidEntryError) as caught:
        to_entry(event(2, **changes), sequence=0, now=T0, pseudonymizer=pseudonymizer)
    assert caught.value.code == "invalid_log_entry"


def test_a_refusal_may_have_no_basis(pseudonymizer: HmacPseudonymizer) -> None:
    refused = event(
        3, outcome="refused", basis_kind=None, basis_reference=None, reason_code="no_consent"
    )
    entry = to_entry(refused, sequence=0, now=T0, pseudonymizer=pseudonymizer)
    assert (entry.outcome, entry.basis_kind, entry.reason_code) == ("refused", None, "no_consent")


def test_pseudonyms_are_keyed_stable_and_hide_the_id() -> None:
    one, other = HmacPseudonymizer(b"a" * 32), HmacPseudonymizer(b"b" * 32)
    assert one.pseudonym("12345") == one.pseudonym(" 12345 ")
    assert one.pseudonym("12345") != other.pseudonym("12345")
    assert len(one.pseudonym("12345")) == 64
    assert "a" * 8 not in repr(one)
    assert "12345" not in repr(event(0, subject_id="12345"))
    with pytest.raises(ValueError):
        HmacPseudonymizer(b"short")


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"purpose": 'quote " backslash \\ slash / tab\u2028 ການ'},
        {"user_id": "emoji \U0001f600 and \u00e9", "message_id": "<&>"},
        {"basis_kind": None, "basis_reference": None, "outcome": "refused", "reason_code": "x"},
        {"data_items": ("a",) * 3},
    ],
)
def test_fast_canonical_bytes_equal_sorted_json(
    pseudonymizer: HmacPseudonymizer, changes: dict[str, object]
) -> None:
    entry = to_entry(event(3, **changes), sequence=2**40, now=T0, pseudonymizer=pseudonymizer)
    assert entry.canonical_bytes() == canonical_json(entry.to_json())
    assert parse_entry(entry.canonical_bytes()) == entry


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("basis_kind", 5),
        ("outcome", True),
        ("sequence", True),
        ("data_items", (1,)),
        ("member", None),
    ],
)
def test_odd_types_from_a_tampered_row_encode_as_json_does(
    pseudonymizer: HmacPseudonymizer, key: str, value: object
) -> None:
    entry = to_entry(event(4), sequence=4, now=T0, pseudonymizer=pseudonymizer)
    odd = dataclasses.replace(entry, **{key: value})  # type: ignore[arg-type]
    assert odd.canonical_bytes() == canonical_json(odd.to_json())
