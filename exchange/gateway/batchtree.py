"""The Merkle tree of a timestamped batch of log rows (RFC 9162 section 2.1, RFC 6962 hashing).

A batch's RFC 3161 token is over the root of its rows' hashes, so one message's rows can be
exported with an inclusion path and checked against the token without the rest of the log.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence


def leaf_hash(leaf: bytes) -> bytes:
    """MTH of one entry: SHA-256(0x00 || leaf) (RFC 9162 section 2.1.1)."""
    return hashlib.sha256(b"\x00" + leaf).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def _split(size: int) -> int:
    """The largest power of two smaller than ``size`` (size > 1)."""
    k = 1
    while k * 2 < size:
        k *= 2
    return k


def root(leaves: Sequence[bytes]) -> bytes:
    """MTH(D[n]) of RFC 9162 section 2.1.1; the batch is never empty."""
    if not leaves:
        raise ValueError("a batch has at least one row")
    level = [leaf_hash(leaf) for leaf in leaves]
    return _subtree(level)


def _subtree(hashes: Sequence[bytes]) -> bytes:
    if len(hashes) == 1:
        return hashes[0]
    k = _split(len(hashes))
    return node_hash(_subtree(hashes[:k]), _subtree(hashes[k:]))


def inclusion_path(leaves: Sequence[bytes], index: int) -> list[bytes]:
    """PATH(m, D[n]) of RFC 9162 section 2.1.3.1, nearest sibling first."""
    if not 0 <= index < len(leaves):
        raise ValueError("leaf index out of range")
    return _path(index, [leaf_hash(leaf) for leaf in leaves])


def _path(index: int, hashes: Sequence[bytes]) -> list[bytes]:
    if len(hashes) == 1:
        return []
    k = _split(len(hashes))
    if index < k:
        return [*_path(index, hashes[:k]), _subtree(hashes[k:])]
    return [*_path(index - k, hashes[k:]), _subtree(hashes[:k])]


def root_from_path(leaf: bytes, index: int, size: int, path: Sequence[bytes]) -> bytes:
    """The root an inclusion path leads to (RFC 9162 section 2.1.3.2); raises ValueError if
    the path does not fit ``index`` and ``size``."""
    if not 0 <= index < size:
        raise ValueError("leaf index out of range")
    fn, sn = index, size - 1
    result = leaf_hash(leaf)
    for sibling in path:
        if sn == 0:
            raise ValueError("inclusion path is too long")
        if fn % 2 == 1 or fn == sn:
            result = node_hash(sibling, result)
            while fn % 2 == 0 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            result = node_hash(result, sibling)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:
        raise ValueError("inclusion path is too short")
    return result
