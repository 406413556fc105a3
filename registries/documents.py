"""How every registry stores a record: its canonical XML, validated on the way in and out."""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Any

from lxml import etree

from schemas.codec import JsonRecord, element_to_json, encode_record, serialize
from schemas.safe_xml import parse_xml

_SYSTEM_RANDOM = random.SystemRandom()


def encode(record_type: str, data: Mapping[str, Any]) -> tuple[JsonRecord, str]:
    """Validate a JSON record; return its canonical JSON and the XML text to store."""
    element, canonical = encode_record(record_type, data)
    return canonical, serialize(element).decode("utf-8")


def decode(record_type: str, document: str) -> JsonRecord:
    """The JSON form of a stored document, validated again on the way out."""
    return element_to_json(record_type, parse_xml(document.encode("utf-8")))


def stored_text(element: etree._Element) -> str:
    return serialize(element).decode("utf-8")


def new_record_id(prefix: str, rng: random.Random | None = None) -> str:
    """A random record identifier ``XX`` + 10 digits (callers retry on the rare collision)."""
    source = rng or _SYSTEM_RANDOM
    return f"{prefix}{source.randrange(10**10):010d}"
