"""Application logs are JSON and carry no personal data."""

from __future__ import annotations

import json
import logging

from onedoor.logging import JsonFormatter


def _format(message: str, **extra: object) -> dict[str, object]:
    record = logging.LogRecord("onedoor.test", logging.INFO, __file__, 1, message, None, None)
    record.__dict__.update(extra)
    result: dict[str, object] = json.loads(JsonFormatter().format(record))
    return result


def test_only_allow_listed_fields_are_written() -> None:
    entry = _format("lookup", service="civil/person", full_name="Somchai", birth_date="1990-01-01")
    assert entry["service"] == "civil/person"
    assert "full_name" not in entry and "birth_date" not in entry


def test_identifiers_emails_and_phones_in_messages_are_masked() -> None:
    entry = _format("person 010203040506 mailed a.b@example.la from +856 20 5555 1234")
    message = str(entry["message"])
    assert "010203040506" not in message
    assert "a.b@example.la" not in message
    assert "5555" not in message


def test_lao_text_is_kept_readable() -> None:
    entry = _format("ສະບາຍດີ")
    assert entry["message"] == "ສະບາຍດີ"
