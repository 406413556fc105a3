"""What one access to personal data records, and its canonical bytes (the Merkle leaf data).

Canonical form: JSON with sorted keys, no spaces, UTF-8, times in UTC as
``YYYY-MM-DDTHH:MM:SS.ffffffZ``. The sequence number is part of the leaf, so a row moved
to another position no longer matches its own bytes.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from json.encoder import encode_basestring as _encode_basestring
from typing import Any, Literal, cast

from exchange.transparency.errors import InvalidEntryError
from exchange.transparency.pseudonym import SubjectPseudonymizer

FORMAT_VERSION = 1
BASIS_KINDS = ("consent", "legal_basis")
OUTCOMES = ("allowed", "refused")
MAX_TEXT = 255
MAX_DATA_ITEMS = 100
TIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"
_MEMBER_ID = re.compile(r"^[^/\s]+(/[^/\s]+){2,3}$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")

BasisKind = Literal["consent", "legal_basis"]
Outcome = Literal["allowed", "refused"]


@dataclass(frozen=True)
class AccessEvent:
    """One access (allowed or refused) as the gateway reports it; ``subject_id`` stays plain
    only until :func:`to_entry` replaces it with a pseudonym."""

    member: str
    user_id: str
    service: str
    data_items: tuple[str, ...]
    purpose: str
    basis_kind: BasisKind | None
    basis_reference: str | None
    outcome: Outcome
    subject_id: str
    message_id: str
    reason_code: str | None = None
    time: datetime | None = None

    def __repr__(self) -> str:
        return f"AccessEvent(member={self.member!r}, service={self.service!r}, subject=***)"


@dataclass(frozen=True)
class LogEntry:
    """An entry as stored in the log: the subject only as its keyed pseudonym."""

    sequence: int
    time: datetime
    member: str
    user_id: str
    service: str
    data_items: tuple[str, ...]
    purpose: str
    basis_kind: BasisKind | None
    basis_reference: str | None
    outcome: Outcome
    reason_code: str | None
    message_id: str
    subject: str

    def to_json(self) -> dict[str, Any]:
        return {
            "v": FORMAT_VERSION,
            "seq": self.sequence,
            "time": format_time(self.time),
            "member": self.member,
            "user_id": self.user_id,
            "service": self.service,
            "data_items": list(self.data_items),
            "purpose": self.purpose,
            "basis_kind": self.basis_kind,
            "basis_reference": self.basis_reference,
            "outcome": self.outcome,
            "reason_code": self.reason_code,
            "message_id": self.message_id,
            "subject": self.subject,
        }

    def canonical_bytes(self) -> bytes:
        """``canonical_json(self.to_json())``, written out directly (the append hot path)."""
        texts = (
            self.member, self.user_id, self.service, self.purpose, self.message_id,
            self.outcome, self.subject, *self.data_items,
        )  # fmt: skip
        optional = (self.basis_kind, self.basis_reference, self.reason_code)
        if (
            type(self.sequence) is not int
            or set(map(type, texts)) != _STR
            or not set(map(type, optional)) <= _STR_OR_NONE
        ):
            return canonical_json(self.to_json())  # whatever json.dumps makes of odd types
        q = _encode_basestring  # exactly json.dumps(value, ensure_ascii=False) for a str
        items = ",".join([q(item) for item in self.data_items])
        return (
            f'{{"basis_kind":{_nullable(self.basis_kind)},'
            f'"basis_reference":{_nullable(self.basis_reference)},'
            f'"data_items":[{items}],"member":{q(self.member)},'
            f'"message_id":{q(self.message_id)},"outcome":{q(self.outcome)},'
            f'"purpose":{q(self.purpose)},"reason_code":{_nullable(self.reason_code)},'
            f'"seq":{self.sequence},"service":{q(self.service)},"subject":{q(self.subject)},'
            f'"time":{q(format_time(self.time))},"user_id":{q(self.user_id)},'
            f'"v":{FORMAT_VERSION}}}'
        ).encode()


_STR = {str}
_STR_OR_NONE = {str, type(None)}


def _nullable(value: str | None) -> str:
    return "null" if value is None else _encode_basestring(value)


def canonical_json(value: object) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def format_time(value: datetime) -> str:
    return value.astimezone(UTC).strftime(TIME_FORMAT)


@lru_cache(maxsize=16384)
def _problem(value: str) -> str | None:
    # Cached: members, officers, services and purposes repeat across millions of entries.
    if not value.strip():
        return "is required"
    if len(value) > MAX_TEXT or _CONTROL.search(value):
        return "is too long or contains control characters"
    return None


def _text(name: str, value: object, *, optional: bool = False) -> str | None:
    if value is None and optional:
        return None
    if not isinstance(value, str):
        raise InvalidEntryError(f"{name} is required")
    problem = _problem(value)
    if problem:
        raise InvalidEntryError(f"{name} {problem}")
    return value


@lru_cache(maxsize=4096)
def _is_member_id(value: str) -> bool:
    return _MEMBER_ID.match(value) is not None


def to_entry(
    event: AccessEvent, *, sequence: int, now: datetime, pseudonymizer: SubjectPseudonymizer
) -> LogEntry:
    """Validate an event and turn it into the entry at ``sequence``; raise InvalidEntryError."""
    member = cast(str, _text("member", event.member))
    if not _is_member_id(member):
        raise InvalidEntryError("member must be an X-Road identifier INSTANCE/CLASS/MEMBER[/SUB]")
    items = event.data_items
    if isinstance(items, str) or not items or len(items) > MAX_DATA_ITEMS:
        raise InvalidEntryError(f"data_items must list 1 to {MAX_DATA_ITEMS} items")
    for item in items:
        _text("data item", item)
    if event.outcome not in OUTCOMES:
        raise InvalidEntryError("outcome must be 'allowed' or 'refused'")
    if event.basis_kind is None:
        if event.outcome == "allowed":
            raise InvalidEntryError("an allowed access needs a consent or legal basis")
    elif event.basis_kind not in BASIS_KINDS:
        raise InvalidEntryError("basis_kind must be 'consent' or 'legal_basis'")
    else:
        _text("basis_reference", event.basis_reference)
    when = event.time or now
    if when.tzinfo is None:
        raise InvalidEntryError("time must carry a time zone")
    try:
        subject = pseudonymizer.pseudonym(event.subject_id)
    except (ValueError, TypeError, AttributeError):
        raise InvalidEntryError("subject_id is required") from None
    return LogEntry(
        sequence=sequence,
        time=when.astimezone(UTC),
        member=member,
        user_id=cast(str, _text("user_id", event.user_id)),
        service=cast(str, _text("service", event.service)),
        data_items=tuple(items),
        purpose=cast(str, _text("purpose", event.purpose)),
        basis_kind=event.basis_kind,
        basis_reference=_text("basis_reference", event.basis_reference, optional=True),
        outcome=event.outcome,
        reason_code=_text("reason_code", event.reason_code, optional=True),
        message_id=cast(str, _text("message_id", event.message_id)),
        subject=subject,
    )


def parse_entry(data: bytes) -> LogEntry:
    """Decode stored canonical bytes; raise ValueError if they are not a well-formed entry."""
    raw = json.loads(data.decode())
    if not isinstance(raw, dict) or raw.get("v") != FORMAT_VERSION:
        raise ValueError("not a version 1 log entry")
    entry = LogEntry(
        sequence=int(raw["seq"]),
        time=datetime.strptime(raw["time"], TIME_FORMAT).replace(tzinfo=UTC),
        member=str(raw["member"]),
        user_id=str(raw["user_id"]),
        service=str(raw["service"]),
        data_items=tuple(str(item) for item in raw["data_items"]),
        purpose=str(raw["purpose"]),
        basis_kind=raw["basis_kind"],
        basis_reference=raw["basis_reference"],
        outcome=raw["outcome"],
        reason_code=raw["reason_code"],
        message_id=str(raw["message_id"]),
        subject=str(raw["subject"]),
    )
    if entry.canonical_bytes() != data:
        raise ValueError("the entry is not in canonical form")
    return entry
