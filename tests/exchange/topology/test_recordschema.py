"""The gateway's XSD validators accept valid registry records and refuse anything else."""

from __future__ import annotations

import json

import pytest

from exchange.gateway.recordschema import record_validator
from exchange.xroad.errors import SchemaValidationError
from schemas.codec import to_xml
from tests.schemas.examples import VALID

validate = record_validator("Person")


def test_valid_json_and_xml_records_pass() -> None:
    validate(direction="response", body=json.dumps(VALID["Person"]).encode(),
             content_type="application/json")
    reordered = dict(reversed(list(VALID["Person"].items())))
    validate(direction="response", body=json.dumps(reordered).encode(),
             content_type="application/json; charset=utf-8")
    validate(direction="response", body=to_xml("Person", VALID["Person"]),
             content_type="application/xml")
    validate(direction="request", body=b"", content_type=None)


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (json.dumps({**VALID["Person"], "extra": "x"}).encode(), "application/json"),
        (json.dumps({"personId": "1"}).encode(), "application/json"),
        (b"[]", "application/json"),
        (b"not json", "application/json"),
        (b"<Person/>", "application/xml"),
        (b'<!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>', "application/xml"),
        (to_xml("Person", VALID["Person"]), "text/plain"),
        (b"", "application/json"),
    ],
)
def test_anything_else_is_refused(body: bytes, content_type: str) -> None:
    with pytest.raises(SchemaValidationError):
        validate(direction="response", body=body, content_type=content_type)


def test_the_refusal_names_no_personal_value() -> None:
    person = {**VALID["Person"], "birthDate": "1980-13-45"}
    with pytest.raises(SchemaValidationError) as caught:
        validate(direction="response", body=json.dumps(person).encode(),
                 content_type="application/json")
    assert "1980-13-45" not in caught.value.message
