"""One imported record element -> the canonical element a registry stores, and its fields.

Records in a file may use any namespace prefix, indentation or ``xsi:schemaLocation`` hint;
what is stored is rebuilt the way the codec serialises a record, so an export of the imported
data is byte for byte the export it came from. Anything that is not whitespace is kept, so it
still fails validation instead of being silently dropped.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from schemas.catalogue import RecordType
from schemas.identifiers import verhoeff_is_valid

_XSI = "{http://www.w3.org/2001/XMLSchema-instance}"
_LOCATION_HINTS = frozenset({f"{_XSI}schemaLocation", f"{_XSI}noNamespaceSchemaLocation"})
_INTEGERS = frozenset({"version"})
_ALWAYS_LISTS = frozenset({"member"})


def canonical_copy(kind: RecordType, element: etree._Element) -> etree._Element:
    root = etree.Element(kind.qname, nsmap={kind.prefix: kind.namespace})
    _copy(element, root)
    return root


def _copy(source: etree._Element, target: etree._Element) -> None:
    for name, value in source.attrib.items():
        if name not in _LOCATION_HINTS:
            target.set(name, value)
    if len(source) == 0:
        target.text = source.text
        return
    if source.text and source.text.strip():
        target.text = source.text
    for child in source:
        if not isinstance(child.tag, str):
            continue
        copy = etree.SubElement(target, child.tag)
        _copy(child, copy)
        if child.tail and child.tail.strip():
            copy.tail = child.tail


def fields(element: etree._Element) -> dict[str, Any]:
    """The JSON form of a validated record, as far as the registries' columns need it."""
    out: dict[str, Any] = {}
    for child in element:
        tag = str(child.tag)
        value: Any = fields(child) if len(child) else (child.text or "")
        if tag in _INTEGERS:
            value = int(value)
        if tag in _ALWAYS_LISTS:
            out.setdefault(tag, []).append(value)
        elif tag in out:
            previous = out[tag]
            out[tag] = [*previous, value] if isinstance(previous, list) else [previous, value]
        else:
            out[tag] = value
    return out


def wrong_check_digit(element: etree._Element) -> str | None:
    """The path of the first person identifier whose Verhoeff check digit is wrong, if any."""
    for node in element.iter():
        tag = node.tag
        text = node.text
        if isinstance(tag, str) and tag.endswith("Id") and text and len(text) == 12:
            if text.isdigit() and not verhoeff_is_valid(text):
                names = [
                    etree.QName(n).localname for n in (*reversed(list(node.iterancestors())), node)
                ]
                return "/" + "/".join(names)
    return None
