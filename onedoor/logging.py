"""Structured JSON logging that never writes personal data.

Only the message and an allow-list of operational fields are written; anything that looks like a
national identifier, an e-mail address or a phone number in the message is masked as a safety net.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from datetime import UTC, datetime
from typing import Any, TextIO

# Fields a log call may attach with ``extra=``; everything else is dropped.
ALLOWED_FIELDS = frozenset(
    {
        "component", "event", "method", "path_template", "status", "duration_ms",
        "member", "service", "message_id", "error_code", "count", "key_id", "request_id",
    }
)
_MASKS = (
    (re.compile(r"\b\d{8,}\b"), "[number]"),
    (re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+"), "[email]"),
    (re.compile(r"\+?\d[\d -]{7,}\d"), "[phone]"),
)


def mask_personal_data(text: str) -> str:
    for pattern, replacement in _MASKS:
        text = pattern.sub(replacement, text)
    return text


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": mask_personal_data(record.getMessage()),
        }
        for key in ALLOWED_FIELDS:
            if key in record.__dict__:
                entry[key] = record.__dict__[key]
        if record.exc_info and record.exc_info[0] is not None:
            entry["exception"] = record.exc_info[0].__name__
        return json.dumps(entry, ensure_ascii=False, default=str)


class _StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever ``sys.stderr`` is at emit time, never to a stream since closed
    (a test runner's capture, a replaced stderr)."""

    @property
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, _value: TextIO) -> None:
        pass


def configure_logging(level: str = "INFO") -> None:
    handler = _StderrHandler()
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logger = logging.getLogger(name)
        logger.handlers[:] = []
        logger.propagate = True
    # Access logs carry full URLs (query strings); our own middleware logs path templates.
    logging.getLogger("uvicorn.access").disabled = True
