"""Checks of the identifiers a consent names: X-Road member, service, data item, purpose."""

from __future__ import annotations

import re
from collections.abc import Iterable

from exchange.consent.errors import InvalidConsentRequestError

_PART = r"[A-Za-z0-9][A-Za-z0-9._:-]{0,63}"
# X-Road identifiers: INSTANCE/CLASS/MEMBER[/SUBSYSTEM] and .../SUBSYSTEM/SERVICE[/VERSION].
_MEMBER = re.compile(rf"\A{_PART}/{_PART}/{_PART}(?:/{_PART})?\Z")
_SERVICE = re.compile(rf"\A{_PART}/{_PART}/{_PART}/{_PART}/{_PART}(?:/{_PART})?\Z")
_GROUP = re.compile(rf"\Agroup:{_PART}\Z")
_ITEM = re.compile(r"\A[a-z][a-z0-9_-]*(?:\.[a-z0-9_-]+)+\Z")
_PURPOSE = re.compile(r"\A[a-z][a-z0-9-]{1,63}\Z")
MAX_ITEMS = 100


def member_id(value: str, *, what: str = "member") -> str:
    """A member or subsystem id ``INSTANCE/CLASS/MEMBER[/SUBSYSTEM]``."""
    if not isinstance(value, str) or not _MEMBER.match(value):
        raise InvalidConsentRequestError(f"{what} is not an INSTANCE/CLASS/MEMBER[/SUBSYSTEM] id")
    return value


def member_or_group(value: str) -> str:
    """A member id, or a global group written ``group:CODE``."""
    if isinstance(value, str) and _GROUP.match(value):
        return value
    return member_id(value, what="consumer")


def service_id(value: str) -> str:
    """A service id ``INSTANCE/CLASS/MEMBER/SUBSYSTEM/SERVICE[/VERSION]``."""
    if not isinstance(value, str) or not _SERVICE.match(value):
        raise InvalidConsentRequestError(
            "service is not an INSTANCE/CLASS/MEMBER/SUBSYSTEM/SERVICE[/VERSION] id"
        )
    return value


def service_provider(service: str) -> str:
    """The subsystem that provides ``service`` (its first four parts)."""
    return "/".join(service_id(service).split("/")[:4])


def data_items(values: Iterable[str]) -> list[str]:
    """Sorted, de-duplicated catalogue item names such as ``civil.person.name``."""
    if isinstance(values, str):
        raise InvalidConsentRequestError("data items must be a list")
    items = sorted(set(values))
    if not items or len(items) > MAX_ITEMS:
        raise InvalidConsentRequestError(f"name between 1 and {MAX_ITEMS} data items")
    for item in items:
        if not isinstance(item, str) or len(item) > 128 or not _ITEM.match(item):
            raise InvalidConsentRequestError("a data item is not a catalogue name like a.b.c")
    return items


def purpose_code(value: str) -> str:
    if not isinstance(value, str) or not _PURPOSE.match(value):
        raise InvalidConsentRequestError("purpose is not a purpose code")
    return value


def subject_id(value: str) -> str:
    if not isinstance(value, str) or not 0 < len(value) <= 64 or not value.isprintable():
        raise InvalidConsentRequestError("data subject is not a person identifier")
    return value


def covers(granted: str, member: str) -> bool:
    """Whether a grant to ``granted`` covers ``member``: itself, or a subsystem of a member."""
    return member == granted or (granted.count("/") == 2 and member.startswith(granted + "/"))
