"""X-Road identifiers (X-Road ``identifiers.xsd``), parsed once at the edge into frozen values.

Text forms, as in the REST protocol's URL and ``X-Road-Client`` header:

    member     INSTANCE/CLASS/MEMBER
    subsystem  INSTANCE/CLASS/MEMBER/SUBSYSTEM
    service    INSTANCE/CLASS/MEMBER/SUBSYSTEM/SERVICE[/VERSION]
    group      INSTANCE/GROUP        (a global group, written with the ``group:`` prefix in grants)

Each part follows X-Road's identifier rules: not empty, at most 255 characters, none of the
characters X-Road forbids in identifiers (colon, semicolon, slash, backslash, percent) and no
non-printable or whitespace character (Unicode categories C* and Z*, so no spaces either;
X-Road's own validator forbids non-printables and we are stricter on whitespace so an
identifier never needs quoting). Identifiers are case sensitive, as in X-Road.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from exchange.xroad.errors import InvalidClientIdentifierError, InvalidServiceIdentifierError

MAX_PART_LENGTH = 255
FORBIDDEN_CHARACTERS = frozenset(":;/\\%")
GROUP_PREFIX = "group:"


def check_part(value: str, *, what: str) -> str:
    """Return ``value`` if it is a valid identifier part; raise ValueError naming ``what``."""
    if not value:
        raise ValueError(f"{what} is empty")
    if len(value) > MAX_PART_LENGTH:
        raise ValueError(f"{what} is longer than {MAX_PART_LENGTH} characters")
    for char in value:
        if char in FORBIDDEN_CHARACTERS:
            raise ValueError(f"{what} contains the forbidden character {char!r}")
        if unicodedata.category(char)[0] in ("C", "Z"):
            raise ValueError(f"{what} contains a non-printable or space character")
    return value


@dataclass(frozen=True, order=True)
class ClientId:
    """A member (``subsystem`` None) or one of its subsystems."""

    instance: str
    member_class: str
    member_code: str
    subsystem: str | None = None

    def __post_init__(self) -> None:
        check_part(self.instance, what="instance")
        check_part(self.member_class, what="member class")
        check_part(self.member_code, what="member code")
        if self.subsystem is not None:
            check_part(self.subsystem, what="subsystem code")

    @property
    def member(self) -> ClientId:
        """The member that owns this client (itself for a member)."""
        return ClientId(self.instance, self.member_class, self.member_code)

    @property
    def is_subsystem(self) -> bool:
        return self.subsystem is not None

    @property
    def object_type(self) -> str:
        return "SUBSYSTEM" if self.is_subsystem else "MEMBER"

    def __str__(self) -> str:
        parts = [self.instance, self.member_class, self.member_code]
        if self.subsystem is not None:
            parts.append(self.subsystem)
        return "/".join(parts)


@dataclass(frozen=True, order=True)
class ServiceId:
    """A service offered by a provider subsystem, optionally versioned."""

    provider: ClientId
    service_code: str
    version: str | None = None

    def __post_init__(self) -> None:
        if not self.provider.is_subsystem:
            raise ValueError("a service is provided by a subsystem")
        check_part(self.service_code, what="service code")
        if self.version is not None:
            check_part(self.version, what="service version")

    def __str__(self) -> str:
        tail = f"/{self.version}" if self.version is not None else ""
        return f"{self.provider}/{self.service_code}{tail}"


@dataclass(frozen=True, order=True)
class GlobalGroupId:
    """A global group defined by the central server of ``instance``."""

    instance: str
    group_code: str

    def __post_init__(self) -> None:
        check_part(self.instance, what="instance")
        check_part(self.group_code, what="group code")

    def __str__(self) -> str:
        return f"{GROUP_PREFIX}{self.instance}/{self.group_code}"


def parse_client_id(text: str) -> ClientId:
    """``INSTANCE/CLASS/MEMBER[/SUBSYSTEM]``; raises InvalidClientIdentifierError."""
    parts = text.split("/")
    if len(parts) not in (3, 4):
        raise InvalidClientIdentifierError(
            "client identifier must be INSTANCE/CLASS/MEMBER[/SUBSYSTEM]"
        )
    try:
        return ClientId(*parts)
    except ValueError as exc:
        raise InvalidClientIdentifierError(f"invalid client identifier: {exc}") from None


def parse_member_id(text: str) -> ClientId:
    """``INSTANCE/CLASS/MEMBER`` only; raises InvalidClientIdentifierError."""
    client = parse_client_id(text)
    if client.is_subsystem:
        raise InvalidClientIdentifierError("member identifier must be INSTANCE/CLASS/MEMBER")
    return client


def parse_subsystem_id(text: str) -> ClientId:
    """``INSTANCE/CLASS/MEMBER/SUBSYSTEM`` only; raises InvalidClientIdentifierError."""
    client = parse_client_id(text)
    if not client.is_subsystem:
        raise InvalidClientIdentifierError(
            "subsystem identifier must be INSTANCE/CLASS/MEMBER/SUBSYSTEM"
        )
    return client


def parse_service_id(text: str) -> ServiceId:
    """``INSTANCE/CLASS/MEMBER/SUBSYSTEM/SERVICE[/VERSION]``; raises on a malformed one."""
    parts = text.split("/")
    if len(parts) not in (5, 6):
        raise InvalidServiceIdentifierError(
            "service identifier must be INSTANCE/CLASS/MEMBER/SUBSYSTEM/SERVICE[/VERSION]"
        )
    try:
        provider = ClientId(*parts[:4])
        return ServiceId(provider, parts[4], parts[5] if len(parts) == 6 else None)
    except ValueError as exc:
        raise InvalidServiceIdentifierError(f"invalid service identifier: {exc}") from None


def parse_group_id(text: str) -> GlobalGroupId:
    """``group:INSTANCE/GROUP``; raises InvalidClientIdentifierError."""
    if not text.startswith(GROUP_PREFIX):
        raise InvalidClientIdentifierError(f"group identifier must start with {GROUP_PREFIX!r}")
    parts = text[len(GROUP_PREFIX) :].split("/")
    if len(parts) != 2:
        raise InvalidClientIdentifierError("group identifier must be group:INSTANCE/GROUP")
    try:
        return GlobalGroupId(*parts)
    except ValueError as exc:
        raise InvalidClientIdentifierError(f"invalid group identifier: {exc}") from None


def parse_subject(text: str) -> ClientId | GlobalGroupId:
    """A grant's subject: a member, a subsystem or a ``group:`` global group."""
    if text.startswith(GROUP_PREFIX):
        return parse_group_id(text)
    return parse_client_id(text)
