"""Transparency log: every access to personal data in an RFC 9162 Merkle tree.

Write side: :func:`append_entries` (in the caller's transaction), :func:`sign_tree_head`.
Read side: :func:`search`, :func:`export_entries`, :func:`inclusion_proof`,
:func:`consistency_proof`, :func:`latest_tree_head`, :func:`anomaly_report`.
Audit: :func:`verify_log`; clients check proofs with :func:`verify_inclusion` and
:func:`verify_consistency`, tree heads with :meth:`SignedTreeHead.verify`.
"""

from exchange.transparency.anomalies import Anomaly, anomaly_report
from exchange.transparency.entry import AccessEvent, LogEntry
from exchange.transparency.errors import (
    ConsistencyProofError,
    InclusionProofError,
    InvalidEntryError,
    InvalidQueryError,
    InvalidTreeSizeError,
    LogTamperedError,
    ProofError,
    TransparencyError,
    TreeHeadNotFoundError,
    TreeHeadSignatureError,
)
from exchange.transparency.keys import LogKeys, load_or_create_log_keys
from exchange.transparency.log import (
    AppendResult,
    ConsistencyProof,
    InclusionProof,
    append_entries,
    consistency_proof,
    inclusion_proof,
    latest_tree_head,
    root_at,
    sign_tree_head,
)
from exchange.transparency.proofs import verify_consistency, verify_inclusion
from exchange.transparency.pseudonym import HmacPseudonymizer, SubjectPseudonymizer
from exchange.transparency.search import SearchFilter, export_entries, search
from exchange.transparency.tree_head import (
    EcdsaP256Signer,
    EcdsaP256Verifier,
    SignedTreeHead,
    TreeHeadSigner,
    TreeHeadVerifier,
)
from exchange.transparency.verify import LogVerification, verify_log

__all__ = [
    "AccessEvent",
    "Anomaly",
    "AppendResult",
    "ConsistencyProof",
    "ConsistencyProofError",
    "EcdsaP256Signer",
    "EcdsaP256Verifier",
    "HmacPseudonymizer",
    "InclusionProof",
    "InclusionProofError",
    "InvalidEntryError",
    "InvalidQueryError",
    "InvalidTreeSizeError",
    "LogEntry",
    "LogKeys",
    "LogTamperedError",
    "LogVerification",
    "ProofError",
    "SearchFilter",
    "SignedTreeHead",
    "SubjectPseudonymizer",
    "TransparencyError",
    "TreeHeadNotFoundError",
    "TreeHeadSignatureError",
    "TreeHeadSigner",
    "TreeHeadVerifier",
    "anomaly_report",
    "append_entries",
    "consistency_proof",
    "export_entries",
    "inclusion_proof",
    "latest_tree_head",
    "load_or_create_log_keys",
    "root_at",
    "search",
    "sign_tree_head",
    "verify_consistency",
    "verify_inclusion",
    "verify_log",
]
