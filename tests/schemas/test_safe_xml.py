"""Attacks on the XML parser are refused fast, read nothing and fetch nothing."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

from schemas import codec
from schemas.errors import (
    XmlEncodingError,
    XmlForbiddenError,
    XmlMalformedError,
    XmlRefusedError,
    XmlTooDeepError,
    XmlTooLargeError,
)
from schemas.safe_xml import iter_file_records, parse_xml
from tests.schemas.examples import VALID

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<lolz>&lol9;</lolz>"""


@pytest.fixture
def secret_file(tmp_path: Path) -> Path:
    path = tmp_path / "secret.txt"
    path.write_text("TOP-SECRET-CONTENT")
    return path


class _Recorder(BaseHTTPRequestHandler):
    hits: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        _Recorder.hits.append(self.path)
        self.send_response(404)
        self.end_headers()

    def log_message(self, *_args: object) -> None:
        pass


@pytest.fixture
def listener() -> Iterator[str]:
    _Recorder.hits = []
    server = HTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()
    thread.join()


def test_billion_laughs_is_refused() -> None:
    with pytest.raises(XmlForbiddenError) as caught:
        parse_xml(BILLION_LAUGHS)
    assert caught.value.code == "xml_forbidden"


def test_external_entity_does_not_leak_a_file(secret_file: Path) -> None:
    xxe = (
        f'<?xml version="1.0"?><!DOCTYPE p [<!ENTITY x SYSTEM "file://{secret_file}">]><p>&x;</p>'
    ).encode()
    with pytest.raises(XmlForbiddenError) as caught:
        parse_xml(xxe)
    assert "TOP-SECRET" not in caught.value.message


def test_external_dtd_is_neither_fetched_nor_accepted(listener: str) -> None:
    doc = f'<!DOCTYPE p SYSTEM "{listener}/evil.dtd"><p/>'.encode()
    with pytest.raises(XmlForbiddenError):
        parse_xml(doc)
    assert _Recorder.hits == []


def test_parameter_entity_is_refused(listener: str) -> None:
    doc = f'<!DOCTYPE p [<!ENTITY % r SYSTEM "{listener}/x"> %r;]><p/>'.encode()
    with pytest.raises(XmlForbiddenError):
        parse_xml(doc)
    assert _Recorder.hits == []


def test_undeclared_entity_is_malformed_not_resolved() -> None:
    with pytest.raises(XmlMalformedError):
        parse_xml(b"<p>&x;</p>")


def test_schema_location_hint_is_never_fetched(listener: str) -> None:
    xml = codec.to_xml("Person", VALID["Person"]).replace(
        b'xmlns:p="urn:onedoor:civil:person:1"',
        b'xmlns:p="urn:onedoor:civil:person:1" '
        b'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        b'xsi:schemaLocation="urn:onedoor:civil:person:1 ' + listener.encode() + b'/x.xsd"',
    )
    assert codec.from_xml("Person", xml) == VALID["Person"]
    assert _Recorder.hits == []


def test_xinclude_is_not_processed(secret_file: Path) -> None:
    doc = (
        f'<p xmlns:xi="http://www.w3.org/2001/XInclude"><xi:include href="{secret_file}" '
        'parse="text"/></p>'
    ).encode()
    root = parse_xml(doc)
    assert b"TOP-SECRET" not in codec.serialize(root)


def test_oversize_document_is_refused_before_parsing() -> None:
    with pytest.raises(XmlTooLargeError) as caught:
        parse_xml(b"<a>" + b"x" * 2_000_000 + b"</a>")
    assert caught.value.http_status == 413


def test_deep_nesting_is_refused() -> None:
    with pytest.raises(XmlTooDeepError):
        parse_xml(b"<a>" * 5000 + b"</a>" * 5000)
    parse_xml(b"<a>" * 30 + b"</a>" * 30)


@pytest.mark.parametrize(
    "doc",
    [
        b"<a>\xff\xfe</a>",
        b"<a>\xc3</a>",
        "<a/>".encode("utf-16"),
        b'<?xml version="1.0" encoding="ISO-8859-1"?><a>\xe9</a>',
    ],
)
def test_non_utf8_is_refused(doc: bytes) -> None:
    with pytest.raises(XmlEncodingError):
        parse_xml(doc)


@pytest.mark.parametrize("doc", [b"", b"<a>", b"<a></b>", b"not xml", b"<a/><b/>"])
def test_malformed_is_refused(doc: bytes) -> None:
    with pytest.raises(XmlRefusedError):
        parse_xml(doc)


def test_file_streaming_refuses_a_dtd_anywhere(tmp_path: Path) -> None:
    path = tmp_path / "batch.xml"
    path.write_bytes(b"<batch>" + b"<r/>" * 100_000 + b"</batch>")
    assert sum(1 for _ in iter_file_records(path)) == 100_000
    path.write_bytes(BILLION_LAUGHS)
    with pytest.raises(XmlForbiddenError):
        list(iter_file_records(path))
    path.write_bytes(b"<batch><r>\xff</r></batch>")
    with pytest.raises(XmlEncodingError):
        list(iter_file_records(path))
    with pytest.raises(XmlTooLargeError):
        list(iter_file_records(path, max_bytes=10))
