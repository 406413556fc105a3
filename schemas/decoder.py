"""Decode a validated record element to its JSON form without xmlschema on the hot path.

xmlschema decodes a Person in over a millisecond; most of that is its generic machinery, not
the schema. Here the schema's structure is compiled once per record type into a small plan
(for each element: its children, which of them repeat, and how its text converts), and an
element already validated by lxml is walked with that plan. The result is the one the codec's
fixed xmlschema converter gives; a record type using an XSD feature the plan does not model
(attributes, mixed or simple content with attributes, lists, unions, floats, booleans...)
has no plan and keeps the xmlschema decoder, so no record can decode differently.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from typing import Any

from lxml import etree

_XS = "{http://www.w3.org/2001/XMLSchema}"
_INTEGERS = frozenset(
    f"{_XS}{name}"
    for name in (
        "integer",
        "nonNegativeInteger",
        "positiveInteger",
        "nonPositiveInteger",
        "negativeInteger",
        "long",
        "int",
        "short",
        "byte",
        "unsignedLong",
        "unsignedInt",
        "unsignedShort",
        "unsignedByte",
    )
)
# Kept as (whitespace-normalised) text by the codec's converter (datetime_types=False).
_TEXTUAL = frozenset(
    f"{_XS}{name}" for name in ("string", "normalizedString", "token", "date", "dateTime")
)

Convert = Callable[[str], Any]


class UnsupportedSchemaError(Exception):
    """The record type uses an XSD feature the fast decoder does not model."""


class FallbackRequiredError(Exception):
    """This document has something the plan does not model: decode it with xmlschema."""


@dataclass
class ElementPlan:
    """How one element decodes: its text conversion (simple) or its children (complex)."""

    convert: Convert | None = None
    children: dict[str, tuple[ElementPlan, bool]] = field(default_factory=dict)


def decode_element(plan: ElementPlan, element: etree._Element) -> Any:
    """The JSON form of a (schema-valid) element, as the codec's xmlschema converter gives it."""
    if plan.convert is not None:
        return _decode_text(plan.convert, element.text)
    result: dict[str, Any] = {}
    children = plan.children
    for child in element:
        name = child.tag
        if not isinstance(name, str):  # comments and processing instructions carry no data
            continue
        known = children.get(name)  # a qualified or unknown name: only if not validated
        if known is None or child.attrib:  # xsi:type and the like: xmlschema decodes those
            raise FallbackRequiredError()
        child_plan, single = known
        value = decode_element(child_plan, child)
        if name in result:
            previous = result[name]
            if isinstance(previous, list) and previous:
                previous.append(value)
            else:
                result[name] = [previous, value]
        else:
            result[name] = value if single else [value]
    if not result:
        return element.text  # xmlschema: an element with no children decodes to its text
    return result


def in_plan_order(plan: ElementPlan, data: Mapping[str, Any]) -> dict[str, Any] | None:
    """``data`` with its keys (at every level) in schema order; None if a key is unknown."""
    ordered: dict[str, Any] = {}
    for key, (child, _single) in plan.children.items():
        if key not in data:
            continue
        value = data[key]
        if child.convert is None:
            value = _ordered_value(child, value)
            if value is None:
                return None
        ordered[key] = value
    return ordered if len(ordered) == len(data) else None


def _ordered_value(plan: ElementPlan, value: Any) -> Any:
    if isinstance(value, Mapping):
        return in_plan_order(plan, value)
    if isinstance(value, list):
        items = [_ordered_value(plan, item) for item in value]
        return None if any(item is None for item in items) else items
    return None


def _decode_text(convert: Convert, text: str | None) -> Any:
    return None if text is None else convert(text)


def build_plan(xsd_element: Any) -> ElementPlan:
    """Compile an xmlschema element declaration; raises UnsupportedSchemaError."""
    xsd_type = xsd_element.type
    if xsd_element.default is not None or xsd_element.fixed is not None or xsd_element.nillable:
        raise UnsupportedSchemaError(xsd_element.name)
    if xsd_type.is_simple():
        return ElementPlan(convert=_converter(xsd_type))
    if xsd_type.attributes or xsd_type.mixed or not xsd_type.has_complex_content():
        raise UnsupportedSchemaError(xsd_element.name)
    group = xsd_type.content
    single_group = group.is_single()
    plan = ElementPlan()
    for child in group.iter_elements():
        if not hasattr(child, "type") or child.local_name in plan.children:
            raise UnsupportedSchemaError(xsd_element.name)  # wildcards, repeated names
        plan.children[child.local_name] = (build_plan(child), single_group and child.is_single())
    return plan


def _converter(xsd_type: Any) -> Convert:
    if not xsd_type.is_atomic() or xsd_type.is_list() or xsd_type.is_union():
        raise UnsupportedSchemaError(str(xsd_type.name))
    builtin = _builtin(xsd_type)
    white_space = xsd_type.white_space
    if builtin in _INTEGERS:
        return int  # int() ignores the surrounding whitespace XSD collapses
    if builtin == f"{_XS}decimal":
        return _decimal
    if builtin not in _TEXTUAL:
        raise UnsupportedSchemaError(str(builtin))
    if white_space == "collapse":
        return _collapse
    if white_space == "replace":
        return _replace
    return str


def _builtin(xsd_type: Any) -> str:
    current = xsd_type
    while not str(current.name or "").startswith(_XS):
        current = current.base_type
        if current is None:
            raise UnsupportedSchemaError(str(xsd_type.name))
    return str(current.name)


def _decimal(text: str) -> str:
    return str(Decimal(text.strip()))


# The whitespace rules as xmlschema applies them (XSD 1.0 part 2 section 4.3.6).
_SPACE = re.compile(r"\s")
_SPACES = re.compile(r"\s+")


def _collapse(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def _replace(text: str) -> str:
    return _SPACE.sub(" ", text)


@cache
def cached_plan(xsd_element: Any) -> ElementPlan | None:
    """The plan of a root element declaration, or None if the fast decoder cannot model it."""
    try:
        return build_plan(xsd_element)
    except UnsupportedSchemaError:
        return None
