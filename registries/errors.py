"""Errors of the registries component.

OneDoorError
├── NotFoundError
│   └── RecordNotFoundError     record_not_found
└── InvalidRequestError
    ├── DuplicateRecordError    duplicate_record (409)
    ├── InvalidTransitionError  invalid_transition (409): lifecycle out of order
    └── InconsistentRecordError inconsistent_record: refers to what the registry lacks
"""

from __future__ import annotations

from onedoor.errors import InvalidRequestError, NotFoundError


class RecordNotFoundError(NotFoundError):
    """No such record in this registry."""

    code = "record_not_found"


class DuplicateRecordError(InvalidRequestError):
    """A record with this identifier already exists."""

    code = "duplicate_record"
    http_status = 409


class InvalidTransitionError(InvalidRequestError):
    """The record cannot move to that lifecycle state from its current one."""

    code = "invalid_transition"
    http_status = 409


class InconsistentRecordError(InvalidRequestError):
    """The record contradicts or refers to data the registry does not hold."""

    code = "inconsistent_record"
    http_status = 422
