"""Application logs are JSON and carry no personal data."""

from __future__ import annotations

import io
import json
import logging
import sys

import pytest

from onedoor.logging import JsonFormatter, configure_logging


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


def test_logging_writes_to_the_current_stderr_after_the_old_one_closed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A command run under a test runner (or with stderr replaced) must not leave logging
    bound to a stream that is closed later: every later log line would fail."""
    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    first = io.StringIO()
    monkeypatch.setattr(sys, "stderr", first)
    try:
        configure_logging("INFO")
        first.close()
        second = io.StringIO()
        monkeypatch.setattr(sys, "stderr", second)
        logging.getLogger("onedoor.test").info("still logging")
        assert json.loads(second.getvalue())["message"] == "still logging"
    finally:
        root.handlers[:], _ = saved[0], root.setLevel(saved[1])
