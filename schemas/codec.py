"""Validate records against their XSD and convert them between XML and the JSON form.

Validation runs on lxml's compiled schemas (the hot path); the JSON form is decoded from and
encoded to XML by xmlschema with one fixed converter, against the same XSD, so the XML and the
JSON of a record cannot drift apart.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import xmlschema
from lxml import etree

from schemas import SCHEMA_DIR
from schemas.catalogue import RecordType, record_type, record_type_of
from schemas.decoder import (
    ElementPlan,
    FallbackRequiredError,
    cached_plan,
    decode_element,
    in_plan_order,
)
from schemas.errors import SchemaInvalidError
from schemas.safe_xml import MAX_DOCUMENT_BYTES, hardened_parser, parse_xml

JsonRecord = dict[str, Any]

_XSI = "{http://www.w3.org/2001/XMLSchema-instance}"
# Location hints are never followed (validation uses only this package) and not data.
_LOCATION_HINTS = (f"{_XSI}schemaLocation", f"{_XSI}noNamespaceSchemaLocation")
_VALUE = re.compile(r"[Tt]he value '.*?' (?=is |has |of )")
_ATOMIC_VALUE = re.compile(r"^(Element '[^']*': )'.*' (?=is not a valid value)")
_PACKAGE_DIR = SCHEMA_DIR.resolve()

# The fixed converter: the root element is implied by the record type, no namespace keys,
# repeated elements always lists, dates kept as ISO strings, integers as ints.
_CONVERTER_OPTIONS: dict[str, Any] = {
    "converter": xmlschema.XMLSchemaConverter,
    "preserve_root": False,
    "xmlns_processing": "none",
    "strip_namespaces": True,
    "datetime_types": False,
    "decimal_type": str,
}


@cache
def compiled_schema(name: str) -> etree.XMLSchema:
    """The lxml schema of a record type, compiled once per process."""
    schema_doc = etree.parse(str(record_type(name).path), hardened_parser())
    return etree.XMLSchema(schema_doc)


@cache
def codec_schema(name: str) -> xmlschema.XMLSchema10:
    """The xmlschema schema of a record type: may read only files of this package."""
    return xmlschema.XMLSchema10(
        str(record_type(name).path), allow="local", defuse="always", uri_mapper=_package_only
    )


def _package_only(url: str) -> str:
    """Let xmlschema read schema files of this package and nothing else."""
    parts = urlsplit(url)
    if parts.scheme in ("", "file") and not parts.netloc:
        if Path(unquote(parts.path)).resolve().is_relative_to(_PACKAGE_DIR):
            return url
    raise SchemaInvalidError("schema", "/", "schemas may import only files of this package")


def validate_element(name: str, element: etree._Element) -> None:
    """Raise SchemaInvalidError unless ``element`` is a valid ``name`` record."""
    kind = record_type(name)
    if element.tag != kind.qname:
        raise SchemaInvalidError(name, "/", f"root element must be {kind.qname}")
    schema = compiled_schema(name)
    if not schema.validate(element):
        error: Any = schema.error_log.filter_from_errors()[0]  # type: ignore[attr-defined]
        raise SchemaInvalidError(name, _error_path(error), _reason(error.message))


def element_to_json(name: str, element: etree._Element) -> JsonRecord:
    """Validate an element and decode it to the JSON form."""
    validate_element(name, element)
    for hint in _LOCATION_HINTS:
        if hint in element.attrib:
            del element.attrib[hint]
    plan = decode_plan(name)
    decoded: Any = None
    if plan is not None and not element.attrib:
        try:
            decoded = decode_element(plan, element)
        except FallbackRequiredError:
            decoded = None
    if decoded is None:
        decoded = xmlschema_decode(name, element)
    if not isinstance(decoded, dict):
        raise SchemaInvalidError(name, "/", "record is not a structure")
    return decoded


def xmlschema_decode(name: str, element: etree._Element) -> Any:
    """The reference decoder: xmlschema with the fixed converter (no validation)."""
    return codec_schema(name).decode(element, validation="skip", **_CONVERTER_OPTIONS)


@cache
def decode_plan(name: str) -> ElementPlan | None:
    """The fast decoder's plan of a record type (None: the type keeps xmlschema)."""
    kind = record_type(name)
    return cached_plan(codec_schema(name).elements[kind.root])


def encode_record(name: str, data: Mapping[str, Any]) -> tuple[etree._Element, JsonRecord]:
    """Encode and validate a JSON record; return the element and the record's canonical JSON."""
    canonical = _build_canonical(name, data)
    if canonical is not None:
        return canonical
    element = _xmlschema_encode(name, data)
    return element, element_to_json(name, element)


def json_to_element(name: str, data: Mapping[str, Any]) -> etree._Element:
    """Encode the JSON form to an element of the record's namespace, and validate it."""
    canonical = _build_canonical(name, data)
    return canonical[0] if canonical is not None else _xmlschema_encode(name, data)


def _build_canonical(name: str, data: Any) -> tuple[etree._Element, JsonRecord] | None:
    """Build a record given in canonical form (any key order) straight with lxml.

    The record is canonical exactly when decoding the built element gives it back; xmlschema
    would then encode the same XML. None for anything else (invalid ones included), which
    then goes through xmlschema and fails there with its usual error.
    """
    plan = decode_plan(name)
    if plan is None or not isinstance(data, Mapping):
        return None
    ordered = in_plan_order(plan, data)
    if ordered is None:
        return None
    kind = record_type(name)
    element = etree.Element(kind.qname, nsmap={kind.prefix: kind.namespace})
    try:
        _build(element, ordered)  # lxml refuses control characters with ValueError
        if not compiled_schema(name).validate(element):
            return None
        decoded = decode_element(plan, element)
    except (FallbackRequiredError, TypeError, ValueError):
        return None
    # repr as well: 1 == True == 1.0, but only the int is canonical.
    if decoded != ordered or repr(decoded) != repr(ordered):
        return None
    return element, decoded


def _xmlschema_encode(name: str, data: Mapping[str, Any]) -> etree._Element:
    kind = record_type(name)
    if not isinstance(data, Mapping):
        raise SchemaInvalidError(name, "/", "record must be a JSON object")
    schema = codec_schema(name)
    try:
        result: Any = schema.encode(
            _in_schema_order(schema.elements[kind.root], data),
            path=kind.qname,
            namespaces={kind.prefix: kind.namespace},
            validation="lax",
            **_CONVERTER_OPTIONS,
        )
    except (xmlschema.XMLSchemaValidationError, xmlschema.XMLSchemaEncodeError) as exc:
        raise SchemaInvalidError(name, "/", _reason(exc.reason)) from None
    except (TypeError, ValueError, KeyError, AttributeError) as exc:
        raise SchemaInvalidError(name, "/", _reason(str(exc))) from None
    encoded, errors = result
    if encoded is None:
        raise SchemaInvalidError(name, "/", "record cannot be encoded")
    try:
        element = _to_lxml(kind, encoded)
    except ValueError:  # lxml refuses NUL and other control characters
        raise SchemaInvalidError(name, "/", "text contains characters XML cannot carry") from None
    # lxml names the failing element precisely; xmlschema also catches what lax dropped.
    validate_element(name, element)
    if errors:
        raise SchemaInvalidError(name, "/", _reason(errors[0].reason))
    return element


def _in_schema_order(xsd_element: Any, data: Any) -> Any:
    # JSON objects are unordered; XSD sequences are not. Unknown keys go last (and fail).
    if isinstance(data, list):
        return [_in_schema_order(xsd_element, item) for item in data]
    content = getattr(xsd_element.type, "content", None)
    if not isinstance(data, Mapping) or content is None or not hasattr(content, "iter_elements"):
        return data
    children = {child.local_name: child for child in content.iter_elements()}
    ordered = {
        key: _in_schema_order(child, data[key]) for key, child in children.items() if key in data
    }
    ordered.update((key, value) for key, value in data.items() if key not in children)
    return ordered


def build_element(name: str, data: Mapping[str, Any]) -> etree._Element:
    """Build and validate an element straight from JSON in schema key order (the bulk path).

    Equivalent to :func:`json_to_element` for records in canonical form (as decoded), about a
    hundred times faster; anything out of order or unknown fails validation, never passes.
    """
    kind = record_type(name)
    root = etree.Element(kind.qname, nsmap={kind.prefix: kind.namespace})
    _build(root, data)
    validate_element(name, root)
    return root


def _build(parent: etree._Element, data: Mapping[str, Any]) -> None:
    for key, value in data.items():
        for item in value if isinstance(value, list) else (value,):
            child = etree.SubElement(parent, key)
            if isinstance(item, Mapping):
                _build(child, item)
            elif item is not None:
                child.text = item if isinstance(item, str) else str(item)


def to_xml(name: str, data: Mapping[str, Any]) -> bytes:
    """The canonical XML bytes of a record given in JSON form."""
    return serialize(json_to_element(name, data))


def from_xml(name: str, document: bytes, *, max_bytes: int = MAX_DOCUMENT_BYTES) -> JsonRecord:
    """Parse untrusted XML safely, validate it as a ``name`` record, return the JSON form."""
    return element_to_json(name, parse_xml(document, max_bytes=max_bytes))


def parse_record(document: bytes) -> tuple[RecordType, JsonRecord]:
    """Parse untrusted XML of any catalogued record type, named by its root element."""
    element = parse_xml(document)
    kind = record_type_of(str(element.tag))
    return kind, element_to_json(kind.name, element)


def serialize(element: etree._Element) -> bytes:
    return etree.tostring(element, encoding="utf-8", xml_declaration=False)


def _to_lxml(kind: RecordType, encoded: Any) -> etree._Element:
    # xmlschema builds xml.etree elements; move them into lxml with our namespace prefix.
    root = etree.Element(kind.qname, nsmap={kind.prefix: kind.namespace})
    _copy_children(encoded, root)
    return root


def _copy_children(source: Any, target: etree._Element) -> None:
    if len(source) == 0:
        target.text = source.text
    for child in source:
        copy = etree.SubElement(target, child.tag)
        _copy_children(child, copy)


def _error_path(error: Any) -> str:
    path = getattr(error, "path", None)
    if isinstance(path, str) and path:
        return _strip_namespaces(path)
    return "/"


def _strip_namespaces(path: str) -> str:
    parts = [part.split("}", 1)[-1].split(":", 1)[-1] for part in path.split("/")]
    return "/".join(parts)


def _xmlschema_path(exc: Any) -> str:
    path = getattr(exc, "path", None)
    return _strip_namespaces(str(path)) if path else "/"


def _reason(message: str | None) -> str:
    text = (message or "invalid").strip().splitlines()[0]
    # Keep the reason, not the offending value: values may be personal data.
    text = _VALUE.sub("The value ", text)
    text = _ATOMIC_VALUE.sub(r"\1The value ", text)
    return text[:200]
