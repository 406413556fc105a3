"""Every XML entry point refuses bombs, external entities, external DTDs and XInclude.

The parser itself is tested in tests/schemas/test_safe_xml.py; this checks each place that
hands untrusted XML to it: the record codec, the gateway's body validator, life events, the
registries' stored documents and the bulk import.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import Engine

from exchange.events.envelope import parse_event
from exchange.gateway.recordschema import record_validator
from onedoor.db import open_database
from onedoor.errors import OneDoorError
from registries.documents import decode
from registries.transfer.export import CONTAINER_NAMESPACE
from registries.transfer.importer import import_file
from schemas.codec import from_xml, parse_record

SECRET = "ONEDOOR-SECRET-7f3a"


def _payloads(secret_file: Path) -> dict[str, bytes]:
    uri = secret_file.resolve().as_uri()
    return {
        "billion_laughs": (
            b'<?xml version="1.0"?><!DOCTYPE p [<!ENTITY a "aaaaaaaaaa">'
            b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
            b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">'
            b'<!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">'
            b'<!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">'
            b']><Person>&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;</Person>'
        ),
        "xxe_file": (
            f'<?xml version="1.0"?><!DOCTYPE p [<!ENTITY x SYSTEM "{uri}">]>'
            "<Person>&x;</Person>"
        ).encode(),
        "external_dtd": (
            f'<?xml version="1.0"?><!DOCTYPE Person SYSTEM "{uri}"><Person/>'
        ).encode(),
        "parameter_entity": (
            f'<?xml version="1.0"?><!DOCTYPE p [<!ENTITY % x SYSTEM "{uri}"> %x;]><Person/>'
        ).encode(),
        "xinclude": (
            b'<?xml version="1.0"?><Person xmlns:xi="http://www.w3.org/2001/XInclude">'
            + f'<xi:include href="{uri}" parse="text"/></Person>'.encode()
        ),
        "quadratic_blowup": (
            b'<?xml version="1.0"?><!DOCTYPE p [<!ENTITY a "' + b"x" * 50_000 + b'">]><Person>'
            + b"&a;" * 2_000 + b"</Person>"
        ),
    }


class RefusedRecordsError(OneDoorError):
    """The import went through the file but refused its records (nothing imported)."""

    code = "records_refused"


def _import(engine: Engine, folder: Path) -> Callable[[bytes], object]:
    """Import the attack wrapped in a OneDoor export container, so the root check passes."""

    def run(document: bytes) -> object:
        opening = f'<t:records xmlns:t="{CONTAINER_NAMESPACE}">'.encode()
        wrapped = document.replace(b"<Person", opening + b"<Person", 1) + b"</t:records>"
        path = folder / "export.xml"
        path.write_bytes(wrapped)
        report = import_file(engine, path)
        if report.imported == 0:
            raise RefusedRecordsError(report.summary())
        return report

    return run


ENTRY_POINTS = ["codec_from_xml", "codec_parse_record", "gateway_body", "life_event",
                "stored_document", "bulk_import"]


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    from onedoor.migrate import upgrade

    engine = open_database(f"sqlite:///{tmp_path_factory.mktemp('xml') / 'x.db'}")
    upgrade(engine)
    return engine


def _entry(name: str, engine: Engine, folder: Path) -> Callable[[bytes], object]:
    validator = record_validator("Person")
    return {
        "codec_from_xml": lambda doc: from_xml("Person", doc),
        "codec_parse_record": parse_record,
        "gateway_body": lambda doc: validator(
            direction="response", body=doc, content_type="application/xml"
        ),
        "life_event": parse_event,
        "stored_document": lambda doc: decode("Person", doc.decode()),
        "bulk_import": _import(engine, folder),
    }[name]


@pytest.mark.parametrize("entry", ENTRY_POINTS)
@pytest.mark.parametrize(
    "attack", ["billion_laughs", "xxe_file", "external_dtd", "parameter_entity", "xinclude",
               "quadratic_blowup"],
)
def test_attack_is_refused_without_reading_the_secret(
    entry: str, attack: str, engine: Engine, tmp_path: Path
) -> None:
    secret_file = tmp_path / "secret.txt"
    secret_file.write_text(SECRET)
    document = _payloads(secret_file)[attack]
    with pytest.raises(OneDoorError) as refused:
        _entry(entry, engine, tmp_path)(document)
    assert SECRET not in str(refused.value)
