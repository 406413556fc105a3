"""The root of every OneDoor error; each component derives its own hierarchy from it.

    OneDoorError                    code, message, http_status
    ├── ConfigurationError          bad settings or state directory (exit 2 on the CLI)
    ├── DatabaseUnavailableError    the database cannot be reached
    ├── NotFoundError
    └── InvalidRequestError         client sent something we refuse
"""

from __future__ import annotations

from typing import ClassVar


class OneDoorError(Exception):
    """A failure with a stable machine-readable ``code`` and a message safe to show."""

    code: ClassVar[str] = "internal_error"
    http_status: ClassVar[int] = 500

    def __init__(self, message: str | None = None) -> None:
        self.message = message or (self.__doc__ or self.code).strip().splitlines()[0]
        super().__init__(self.message)

    def to_body(self) -> dict[str, dict[str, str]]:
        return {"error": {"code": self.code, "message": self.message}}


class ConfigurationError(OneDoorError):
    """Settings or the state directory are not usable."""

    code = "configuration_error"
    http_status = 500


class DatabaseUnavailableError(OneDoorError):
    """The database cannot be reached."""

    code = "database_unavailable"
    http_status = 503


class NotFoundError(OneDoorError):
    """No such resource."""

    code = "not_found"
    http_status = 404


class InvalidRequestError(OneDoorError):
    """The request is malformed or refers to something invalid."""

    code = "invalid_request"
    http_status = 400
