"""Failures of the transparency log, each with a stable ``code``.

TransparencyError                 transparency_error
├── InvalidEntryError             invalid_log_entry (400): an access event we refuse to log
├── InvalidQueryError             invalid_query (400): a search or report we cannot run
├── InvalidTreeSizeError          invalid_tree_size (400): index or size outside the tree
├── TreeHeadNotFoundError         tree_head_not_found (404)
├── ProofError                    proof_invalid
│   ├── InclusionProofError       inclusion_proof_invalid
│   └── ConsistencyProofError     consistency_proof_invalid
├── TreeHeadSignatureError        tree_head_signature_invalid
└── LogTamperedError              log_tampered: names the first entry found altered
"""

from __future__ import annotations

from onedoor.errors import OneDoorError


class TransparencyError(OneDoorError):
    """The transparency log failed."""

    code = "transparency_error"
    http_status = 500


class InvalidEntryError(TransparencyError):
    """The access event is incomplete or malformed and was not logged."""

    code = "invalid_log_entry"
    http_status = 400


class InvalidQueryError(TransparencyError):
    """The search or report parameters are invalid."""

    code = "invalid_query"
    http_status = 400


class InvalidTreeSizeError(TransparencyError):
    """The leaf index or tree size is outside the log."""

    code = "invalid_tree_size"
    http_status = 400


class TreeHeadNotFoundError(TransparencyError):
    """No signed tree head has been published yet."""

    code = "tree_head_not_found"
    http_status = 404


class ProofError(TransparencyError):
    """A Merkle proof does not verify."""

    code = "proof_invalid"
    http_status = 422


class InclusionProofError(ProofError):
    """The inclusion proof does not lead to the root hash (RFC 9162 section 2.1.3.2)."""

    code = "inclusion_proof_invalid"


class ConsistencyProofError(ProofError):
    """The consistency proof does not link the two roots (RFC 9162 section 2.1.4.2)."""

    code = "consistency_proof_invalid"


class TreeHeadSignatureError(TransparencyError):
    """The signature of a tree head does not verify."""

    code = "tree_head_signature_invalid"
    http_status = 422


class LogTamperedError(TransparencyError):
    """The stored log no longer matches what it committed to.

    ``sequence`` is the first entry found changed, removed, reordered or inserted. When an
    attacker rewrote an entry *and* its leaf hash consistently, only a stored subtree hash or a
    signed tree head betrays it; the error then names the first entry of the smallest subtree
    that no longer matches and ``last_sequence`` the last one.
    """

    code = "log_tampered"
    http_status = 409

    def __init__(self, message: str, *, sequence: int, last_sequence: int | None = None) -> None:
        super().__init__(message)
        self.sequence = sequence
        self.last_sequence = sequence if last_sequence is None else last_sequence
