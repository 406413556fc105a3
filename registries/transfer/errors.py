"""Errors of bulk export and import (file-level; a bad record is reported, not raised).

OneDoorError
└── InvalidRequestError
    └── TransferError               transfer_refused
        ├── TransferFileError       transfer_file_unusable: missing, unreadable, not an export
        └── UnsupportedTransferError transfer_unsupported: no such registry or format
"""

from __future__ import annotations

from onedoor.errors import InvalidRequestError


class TransferError(InvalidRequestError):
    """The export or import was refused."""

    code = "transfer_refused"


class TransferFileError(TransferError):
    """The file cannot be read, or is not a OneDoor export."""

    code = "transfer_file_unusable"


class UnsupportedTransferError(TransferError):
    """No such registry, or the format does not fit the registry."""

    code = "transfer_unsupported"
