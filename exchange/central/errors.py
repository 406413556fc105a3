"""Errors of the central server's directory operations.

    CentralError
    ├── AlreadyRegisteredError   409  the member, subsystem, service, CA or group exists
    ├── NotRegisteredError       404  the member, subsystem, service or group does not exist
    └── InvalidEntryError        400  a certificate, key, URL or instance is unusable
"""

from __future__ import annotations

from onedoor.errors import OneDoorError


class CentralError(OneDoorError):
    """A central server operation failed."""

    code = "central_error"
    http_status = 400


class AlreadyRegisteredError(CentralError):
    """The entry is already registered."""

    code = "already_registered"
    http_status = 409


class NotRegisteredError(CentralError):
    """No such entry in the directory."""

    code = "not_registered"
    http_status = 404


class InvalidEntryError(CentralError):
    """The entry is not usable."""

    code = "invalid_entry"
    http_status = 400
