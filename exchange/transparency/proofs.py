"""Verifying inclusion and consistency proofs (RFC 9162 sections 2.1.3.2 and 2.1.4.2)."""

from __future__ import annotations

import hmac
from collections.abc import Sequence

from exchange.transparency.errors import ConsistencyProofError, InclusionProofError
from exchange.transparency.merkle import HASH_SIZE, node_hash


def _check_hashes(
    values: Sequence[bytes], error: type[InclusionProofError | ConsistencyProofError]
) -> None:
    for value in values:
        if not isinstance(value, bytes) or len(value) != HASH_SIZE:
            raise error("a proof element or root is not a SHA-256 hash")


def verify_inclusion(
    *, leaf_hash: bytes, index: int, tree_size: int, proof: Sequence[bytes], root_hash: bytes
) -> None:
    """Raise InclusionProofError unless ``proof`` puts ``leaf_hash`` at ``index`` (2.1.3.2)."""
    _check_hashes([leaf_hash, root_hash, *proof], InclusionProofError)
    if not 0 <= index < tree_size:
        raise InclusionProofError("the leaf index is not within the tree")
    fn, sn = index, tree_size - 1
    result = leaf_hash
    for sibling in proof:
        if sn == 0:
            raise InclusionProofError("the inclusion proof is too long")
        if fn & 1 or fn == sn:
            result = node_hash(sibling, result)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            result = node_hash(result, sibling)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise InclusionProofError("the inclusion proof is too short")
    if not hmac.compare_digest(result, root_hash):
        raise InclusionProofError("the inclusion proof does not lead to the root hash")


def verify_consistency(
    *,
    first: int,
    second: int,
    first_hash: bytes,
    second_hash: bytes,
    proof: Sequence[bytes],
) -> None:
    """Raise ConsistencyProofError unless the tree of ``second`` extends ``first`` (2.1.4.2)."""
    _check_hashes([first_hash, second_hash, *proof], ConsistencyProofError)
    if not 0 <= first <= second:
        raise ConsistencyProofError("the first tree must not be larger than the second")
    if first == second:
        if proof:
            raise ConsistencyProofError("trees of the same size need an empty proof")
        if not hmac.compare_digest(first_hash, second_hash):
            raise ConsistencyProofError("trees of the same size have different roots")
        return
    if first == 0:
        if proof:
            raise ConsistencyProofError("the empty tree needs an empty proof")
        return
    if not proof:
        raise ConsistencyProofError("the consistency proof is empty")
    path = list(proof)
    if first & (first - 1) == 0:
        path.insert(0, first_hash)
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for value in path[1:]:
        if sn == 0:
            raise ConsistencyProofError("the consistency proof is too long")
        if fn & 1 or fn == sn:
            fr = node_hash(value, fr)
            sr = node_hash(value, sr)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, value)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise ConsistencyProofError("the consistency proof is too short")
    if not hmac.compare_digest(fr, first_hash) or not hmac.compare_digest(sr, second_hash):
        raise ConsistencyProofError("the consistency proof does not link the two roots")
