"""The fast decoder gives exactly what xmlschema gives, for every record type and variant."""

from __future__ import annotations

import copy
import itertools
from collections.abc import Iterator
from typing import Any

import pytest
from lxml import etree

from registries.seed.population import PopulationGenerator
from schemas import codec
from schemas.catalogue import EVENT_TYPES, RECORD_TYPES, record_type
from schemas.decoder import FallbackRequiredError, decode_element
from schemas.errors import SchemaInvalidError
from schemas.safe_xml import parse_xml
from tests.schemas.examples import ADDRESS, PERSON_A, PERSON_B, VALID

HEADER = {
    "eventId": "0b6f5a52-3c1e-4d2a-9f3b-7c1d2e3f4a5b",
    "subjectId": PERSON_A,
    "occurredOn": "2024-05-01",
    "recordedAt": "2024-05-02T08:30:00.125Z",
    "sourceRecordId": "BR0000000001",
}
EVENTS: dict[str, dict[str, Any]] = {
    "BirthEvent": {**HEADER, "sex": "F", "birthDistrict": "0101", "motherId": PERSON_B},
    "DeathEvent": {**HEADER, "recordedAt": "2024-05-02T08:30:00Z", "deathDistrict": "1301"},
    "MarriageEvent": {**HEADER, "spouseId": PERSON_B, "marriageDistrict": "0101"},
    "DivorceEvent": {**HEADER, "spouseId": PERSON_B, "divorceDistrict": "0101"},
    "ChangeOfAddressEvent": {
        **HEADER,
        "address": ADDRESS,
        "householdId": "HH0000000001",
        "previousVillageCode": "0101002",
    },
    "BusinessRegistrationEvent": {
        **HEADER,
        "subjectId": "BZ0000000001",
        "ownerId": PERSON_A,
        "nameRoman": "Somsak Trading",
        "sector": "G",
        "districtCode": "0101",
    },
}
# Lexical forms lxml accepts and xmlschema normalises: the two decoders must agree on them.
PADDINGS = (" ", "\n\t ", "\r\n")
TIMESTAMPS = (
    "2024-05-02T08:30:00Z",
    "2024-05-02T08:30:00.5Z",
    "2024-05-02T08:30:00.000001Z",
    "2024-05-02T08:30:00.100000Z",
)
OFFSETS = ("2024-05-02T08:30:00+07:00", "2024-05-02T08:30:00.250-00:00", "2024-05-02T08:30:00Z")
NUMBERS = ("+7", "007", " 12 ")
PERSONS = 150


def _population(persons: int) -> Iterator[tuple[str, dict[str, Any]]]:
    for batch in PopulationGenerator(20240501).households(persons):
        yield from batch.records


def _examples() -> Iterator[tuple[str, etree._Element]]:
    examples = [*VALID.items(), *EVENTS.items()]
    applications = copy.deepcopy(VALID["Application"])
    applications["fields"] = {"field": [applications["fields"]["field"][0]]}
    examples.append(("Application", applications))
    for name, data in examples:
        yield name, codec.build_element(name, data)


def _pretty(element: etree._Element) -> etree._Element:
    pretty = copy.deepcopy(element)
    etree.indent(pretty, space="  ")
    return pretty


def _variants(element: etree._Element) -> Iterator[etree._Element]:
    yield element
    yield _pretty(element)
    leaves = [leaf for leaf in element.iter() if len(leaf) == 0 and leaf.text]
    for index, padding in zip(range(len(leaves)), itertools.cycle(PADDINGS), strict=False):
        padded = copy.deepcopy(element)
        leaf = [x for x in padded.iter() if len(x) == 0 and x.text][index]
        leaf.text = f"{padding}{leaf.text}{padding}"
        yield padded
    for leaf_name, values in (
        ("recordedAt", TIMESTAMPS),
        ("submittedAt", OFFSETS),
        ("version", NUMBERS),
        ("monthlyAmountKip", NUMBERS),
        ("doseNumber", NUMBERS),
    ):
        for value in values:
            changed = copy.deepcopy(element)
            targets = changed.findall(f".//{leaf_name}")
            if targets:
                targets[0].text = value
                yield changed


def _valid_cases() -> Iterator[tuple[str, bytes]]:
    for name, element in _examples():
        for variant in _variants(element):
            if codec.compiled_schema(name).validate(variant):
                yield name, codec.serialize(variant)
    # A seeded population: every record shape the registries store, canonical and indented.
    for name, data in _population(PERSONS):
        element = codec.build_element(name, data)
        yield name, codec.serialize(element)
        yield name, codec.serialize(_pretty(element))


def test_every_record_and_event_type_has_a_fast_plan() -> None:
    for kind in (*RECORD_TYPES, *EVENT_TYPES):
        assert codec.decode_plan(kind.name) is not None, kind.name


def test_fast_decoder_equals_xmlschema_on_examples_population_and_variants() -> None:
    checked: dict[str, int] = {}
    for name, document in _valid_cases():
        fast = codec.from_xml(name, document)
        reference = codec.xmlschema_decode(name, parse_xml(document))
        assert fast == reference, (name, document)
        # Same types and same key order, not only equal values.
        assert repr(fast) == repr(reference), (name, document)
        checked[name] = checked.get(name, 0) + 1
    assert set(checked) == {kind.name for kind in (*RECORD_TYPES, *EVENT_TYPES)}
    assert sum(checked.values()) > 1000


def test_empty_repeating_container_decodes_like_xmlschema() -> None:
    data = copy.deepcopy(VALID["Application"])
    element = codec.build_element("Application", {**data, "fields": {}})
    document = codec.serialize(element)
    assert codec.from_xml("Application", document) == codec.xmlschema_decode(
        "Application", parse_xml(document)
    )


def test_what_the_plan_does_not_model_falls_back_to_xmlschema() -> None:
    plan = codec.decode_plan("Person")
    assert plan is not None
    element = codec.build_element("Person", VALID["Person"])
    typed = copy.deepcopy(element)
    typed.find("sex").set("{http://www.w3.org/2001/XMLSchema-instance}type", "c:Sex")  # type: ignore[union-attr]
    with pytest.raises(FallbackRequiredError):
        decode_element(plan, typed)
    qualified = copy.deepcopy(element)
    qualified.find("sex").tag = "{urn:x}sex"  # type: ignore[union-attr]
    with pytest.raises(FallbackRequiredError):
        decode_element(plan, qualified)


def test_stored_documents_decode_through_the_plan() -> None:
    kind = record_type("Household")
    element = codec.build_element(kind.name, VALID[kind.name])
    assert codec.element_to_json(kind.name, element) == VALID[kind.name]


def _slow_encode(name: str, data: Any) -> bytes:
    return codec.serialize(codec._xmlschema_encode(name, data))


def _encodings() -> Iterator[tuple[str, Any]]:
    for name, data in [*VALID.items(), *EVENTS.items()]:
        yield name, data
        yield name, dict(reversed(list(data.items())))  # any key order
        yield name, {**data, next(iter(data)): " " + str(next(iter(data.values())))}
    yield "Person", {**VALID["Person"], "birthDate": " 1980-02-03"}  # valid, not canonical
    yield "Person", {**VALID["Person"], "nationality": "LA\x00"}  # lxml refuses it
    yield "Person", {**VALID["Person"], "nationality": b"LAO"}
    yield "BirthRecord", {**VALID["BirthRecord"], "version": "1"}
    yield "BirthRecord", {**VALID["BirthRecord"], "version": True}
    yield "BirthRecord", {**VALID["BirthRecord"], "version": 1.0}
    yield (
        "Household",
        {
            **VALID["Household"],
            "members": {"member": VALID["Household"]["members"]["member"][0]},
        },
    )
    for name, data in itertools.islice(_population(PERSONS), 300):
        yield name, data


def test_fast_encoder_gives_the_xml_and_json_xmlschema_gives() -> None:
    for name, data in _encodings():
        try:
            expected = _slow_encode(name, data)
        except SchemaInvalidError as exc:
            with pytest.raises(SchemaInvalidError) as caught:
                codec.json_to_element(name, data)
            assert str(caught.value) == str(exc)
            continue
        assert codec.serialize(codec.json_to_element(name, data)) == expected, (name, data)
        element, canonical = codec.encode_record(name, data)
        assert codec.serialize(element) == expected
        reference = codec.xmlschema_decode(name, parse_xml(expected))
        assert repr(canonical) == repr(reference)


def test_control_characters_are_refused_with_a_schema_error_not_a_crash() -> None:
    with pytest.raises(SchemaInvalidError) as caught:
        codec.to_xml("Person", {**VALID["Person"], "nationality": "LA\x00"})
    assert caught.value.code == "schema_invalid"
