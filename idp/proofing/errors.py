"""Errors of identity proofing.

    ProofingError                       (OneDoorError)
    ├── PersonNotFoundError             person_not_found: the registry has no such person
    ├── IdentityMismatchError           identity_mismatch: name or date of birth differ
    ├── PersonDeceasedError             person_deceased: a deceased person cannot be enrolled
    └── InsufficientEvidenceError       insufficient_evidence
"""

from __future__ import annotations

from onedoor.errors import OneDoorError


class ProofingError(OneDoorError):
    """Identity proofing failed."""

    code = "proofing_failed"
    http_status = 422


class PersonNotFoundError(ProofingError):
    """The civil registry has no person with this identifier."""

    code = "person_not_found"
    http_status = 404


class IdentityMismatchError(ProofingError):
    """The name or date of birth does not match the civil registry."""

    code = "identity_mismatch"
    http_status = 422

    def __init__(self, fields: tuple[str, ...]) -> None:
        self.fields = fields
        super().__init__(f"does not match the civil registry: {', '.join(fields)}")


class PersonDeceasedError(ProofingError):
    """The civil registry records this person as deceased; no account can be created."""

    code = "person_deceased"
    http_status = 422


class InsufficientEvidenceError(ProofingError):
    """The evidence presented is not enough to create the account."""

    code = "insufficient_evidence"
    http_status = 422
