"""Every record type: valid examples round-trip XML <-> JSON; invalid ones are refused."""

from __future__ import annotations

from typing import Any

import pytest
from lxml import etree

from schemas import codec
from schemas.catalogue import RECORD_TYPES, record_type, record_type_of
from schemas.errors import SchemaInvalidError, UnknownRecordTypeError
from tests.schemas.examples import INVALID, VALID, invalid_example

NAMES = [kind.name for kind in RECORD_TYPES]


def test_every_catalogued_type_has_an_example() -> None:
    assert set(VALID) == set(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_valid_record_round_trips_json_xml_json(name: str) -> None:
    xml = codec.to_xml(name, VALID[name])
    assert xml.startswith(f"<{record_type(name).prefix}:{name} ".encode())
    assert codec.from_xml(name, xml) == VALID[name]
    assert codec.parse_record(xml) == (record_type(name), VALID[name])


@pytest.mark.parametrize("name", NAMES)
def test_bulk_builder_and_xmlschema_encoder_agree(name: str) -> None:
    assert codec.serialize(codec.build_element(name, VALID[name])) == codec.to_xml(
        name, VALID[name]
    )


def test_json_key_order_does_not_matter() -> None:
    shuffled = dict(reversed(list(VALID["Person"].items())))
    assert codec.to_xml("Person", shuffled) == codec.to_xml("Person", VALID["Person"])


@pytest.mark.parametrize(("name", "path", "value"), INVALID)
def test_invalid_record_is_refused_with_path(name: str, path: str, value: Any) -> None:
    bad = invalid_example(name, path, value)
    with pytest.raises(SchemaInvalidError) as caught:
        codec.to_xml(name, bad)
    assert caught.value.code == "schema_invalid"
    assert caught.value.reason


@pytest.mark.parametrize(("name", "path", "value"), INVALID)
def test_invalid_xml_document_is_refused(name: str, path: str, value: Any) -> None:
    element = etree.Element(record_type(name).qname)
    codec._build(element, invalid_example(name, path, value))
    with pytest.raises(SchemaInvalidError):
        codec.from_xml(name, codec.serialize(element))


def test_error_names_the_failing_element_without_echoing_the_value() -> None:
    bad = invalid_example("Person", "sex", "Q")
    with pytest.raises(SchemaInvalidError) as caught:
        codec.to_xml("Person", bad)
    assert caught.value.path == "/Person/sex"
    assert "'Q'" not in caught.value.message


def test_unknown_fields_are_refused() -> None:
    with pytest.raises(SchemaInvalidError):
        codec.to_xml("Person", {**VALID["Person"], "religion": "x"})


def test_record_of_another_type_is_refused() -> None:
    xml = codec.to_xml("Person", VALID["Person"])
    with pytest.raises(SchemaInvalidError):
        codec.from_xml("BirthRecord", xml)


def test_unknown_record_types() -> None:
    with pytest.raises(UnknownRecordTypeError):
        record_type("Passport")
    with pytest.raises(UnknownRecordTypeError):
        record_type_of("{urn:x}Person")


def test_each_record_type_has_its_own_versioned_namespace() -> None:
    namespaces = [kind.namespace for kind in RECORD_TYPES]
    assert len(set(namespaces)) == len(namespaces)
    assert all(ns.startswith("urn:onedoor:") and ns.endswith(":1") for ns in namespaces)
    for kind in RECORD_TYPES:
        text = kind.path.read_text()
        assert 'schemaLocation="../common/common-1.xsd"' in text
