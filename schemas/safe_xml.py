"""Hardened XML parsing: the only way untrusted XML enters OneDoor.

Refused before or while parsing, never expanded or fetched: DTDs and entity declarations
(billion laughs, XXE), external references, documents over a size limit, nesting deeper than a
limit, and anything that is not UTF-8. The parser never touches the network or the disk, and
``xsi:schemaLocation`` hints are ignored (validation uses only the schemas of this package).
"""

from __future__ import annotations

import codecs
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from lxml import etree

from schemas.errors import (
    XmlEncodingError,
    XmlForbiddenError,
    XmlMalformedError,
    XmlTooDeepError,
    XmlTooLargeError,
)

MAX_DOCUMENT_BYTES = 1_000_000
MAX_FILE_BYTES = 4_000_000_000
MAX_DEPTH = 32

# A DTD (and so any entity declaration) can only start with these; refusing them up front
# makes entity-expansion and external-entity attacks impossible, not just bounded.
_FORBIDDEN = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY|ELEMENT|ATTLIST|NOTATION)", re.IGNORECASE)
_DECLARED_ENCODING = re.compile(rb"^\s*<\?xml[^>]*encoding\s*=\s*[\"']([A-Za-z0-9._-]+)[\"']")
_CHUNK = 1 << 20
_PARSER_OPTIONS: dict[str, bool] = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "dtd_validation": False,
    "huge_tree": False,
    "remove_comments": True,
    "remove_pis": True,
}


def hardened_parser() -> etree.XMLParser:
    """An lxml parser that loads no DTD, expands no entity and never uses the network."""
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
        collect_ids=False,
    )


def parse_xml(
    data: bytes, *, max_bytes: int = MAX_DOCUMENT_BYTES, max_depth: int = MAX_DEPTH
) -> etree._Element:
    """Parse one untrusted document into an element; raises an XmlRefusedError subclass."""
    if not isinstance(data, bytes | bytearray):
        raise TypeError("parse_xml takes bytes")
    if len(data) > max_bytes:
        raise XmlTooLargeError(f"XML document is larger than {max_bytes} bytes")
    _check_prolog(bytes(data[:256]))
    try:
        bytes(data).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise XmlEncodingError(f"XML document is not valid UTF-8 at byte {exc.start}") from None
    if _FORBIDDEN.search(data):
        raise XmlForbiddenError()
    root: etree._Element | None = None
    for event, element in _events(io.BytesIO(data), max_depth):
        if event == "end" and element.getparent() is None:
            root = element
    if root is None:
        raise XmlMalformedError("XML document has no root element")
    _check_no_dtd(root)
    return root


def iter_file_records(
    path: Path, *, max_bytes: int = MAX_FILE_BYTES, max_depth: int = MAX_DEPTH
) -> Iterator[etree._Element]:
    """Stream the children of a large file's root, one at a time, in bounded memory."""
    size = path.stat().st_size
    if size > max_bytes:
        raise XmlTooLargeError(f"XML file is larger than {max_bytes} bytes")
    with path.open("rb") as handle:
        _scan_stream(handle)
        handle.seek(0)
        for event, element in _events(handle, max_depth):
            if event != "end":
                continue
            parent = element.getparent()
            if parent is not None and parent.getparent() is None:
                yield element
                element.clear()
                while element.getprevious() is not None:
                    del parent[0]


def file_root_tag(path: Path) -> str:
    """The root element of an XML file (Clark notation), read without parsing the rest."""
    with path.open("rb") as handle:
        _check_prolog(handle.read(256))
        handle.seek(0)
        for _event, element in _events(handle, MAX_DEPTH):
            return str(element.tag)
    raise XmlMalformedError("XML file has no root element")


def _events(source: BinaryIO, max_depth: int) -> Iterator[tuple[str, etree._Element]]:
    depth = 0
    context = etree.iterparse(source, events=("start", "end"), **_PARSER_OPTIONS)
    try:
        for event, element in context:
            if event == "start":
                depth += 1
                if depth > max_depth:
                    raise XmlTooDeepError(f"XML nests elements deeper than {max_depth}")
                if depth == 1:
                    _check_no_dtd(element)
            else:
                depth -= 1
            yield event, element
    except etree.XMLSyntaxError as exc:
        raise XmlMalformedError(f"XML is not well-formed: {_first_line(exc)}") from None


def _check_prolog(head: bytes) -> None:
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, b"\x00")):
        raise XmlEncodingError("XML document is not UTF-8")
    declared = _DECLARED_ENCODING.match(head)
    if declared and declared.group(1).lower().replace(b"_", b"-") not in (b"utf-8", b"utf8"):
        raise XmlEncodingError("XML document declares an encoding other than UTF-8")


def _scan_stream(handle: BinaryIO) -> None:
    """Refuse a DTD and invalid UTF-8 anywhere in a stream, chunk by chunk."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    tail = b""
    offset = 0
    first = True
    while chunk := handle.read(_CHUNK):
        if first:
            _check_prolog(chunk[:256])
            first = False
        try:
            decoder.decode(chunk)
        except UnicodeDecodeError as exc:
            raise XmlEncodingError(
                f"XML file is not valid UTF-8 near byte {offset + exc.start}"
            ) from None
        if _FORBIDDEN.search(tail + chunk):
            raise XmlForbiddenError()
        tail = chunk[-32:]
        offset += len(chunk)
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        raise XmlEncodingError("XML file ends inside a UTF-8 sequence") from None


def _check_no_dtd(element: etree._Element) -> None:
    info = element.getroottree().docinfo
    if getattr(info, "doctype", "") or info.internalDTD is not None or info.externalDTD is not None:
        raise XmlForbiddenError()


def _first_line(exc: Exception) -> str:
    return (str(exc).strip().splitlines() or ["syntax error"])[0][:200]
