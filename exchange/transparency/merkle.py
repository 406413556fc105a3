"""The Merkle Tree Hash and the shape of its proofs (RFC 9162 section 2.1).

Proofs are described as lists of leaf ranges ``(start, end)``; every range that RFC 9162's
PATH and SUBPROOF produce is either a complete, aligned subtree (one stored node) or a range
that ends at the tree's right edge, whose hash folds a few complete subtrees. So a proof
needs O(log n) stored hashes and no recomputation from leaves.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence

LEAF_PREFIX = b"\x00"
NODE_PREFIX = b"\x01"
EMPTY_ROOT = hashlib.sha256(b"").digest()
HASH_SIZE = 32

Range = tuple[int, int]
Node = tuple[int, int]
"""A complete subtree as ``(level, index)``: leaves ``[index << level, (index + 1) << level)``."""


def leaf_hash(data: bytes) -> bytes:
    """MTH({d0}) = SHA-256(0x00 || d0) (RFC 9162 section 2.1.1)."""
    return hashlib.sha256(LEAF_PREFIX + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """SHA-256(0x01 || MTH(left) || MTH(right)) (RFC 9162 section 2.1.1)."""
    return hashlib.sha256(NODE_PREFIX + left + right).digest()


def split_point(size: int) -> int:
    """The largest power of two smaller than ``size`` (the ``k`` of RFC 9162 section 2.1.1)."""
    if size < 2:
        raise ValueError("only a tree of two or more leaves is split")
    return 1 << ((size - 1).bit_length() - 1)


def inclusion_ranges(index: int, size: int) -> list[Range]:
    """The subtrees of PATH(m, D[n]), leaf side first (RFC 9162 section 2.1.3.1)."""
    if not 0 <= index < size:
        raise ValueError("leaf index must be within the tree")
    ranges: list[Range] = []
    start, end = 0, size
    while end - start > 1:
        k = split_point(end - start)
        if index - start < k:
            ranges.append((start + k, end))
            end = start + k
        else:
            ranges.append((start, start + k))
            start += k
    ranges.reverse()
    return ranges


def consistency_ranges(first: int, second: int) -> list[Range]:
    """The subtrees of PROOF(m, D[n]) = SUBPROOF(m, D[n], true) (RFC 9162 section 2.1.4.1)."""
    if not 0 < first <= second:
        raise ValueError("consistency needs 0 < first <= second")
    ranges: list[Range] = []
    start, end, starts_at_root = 0, second, True
    while first != end:
        k = split_point(end - start)
        if first - start <= k:
            ranges.append((start + k, end))
            end = start + k
        else:
            ranges.append((start, start + k))
            start += k
            starts_at_root = False
    if not starts_at_root:
        ranges.append((start, end))
    ranges.reverse()
    return ranges


def subtree_parts(start: int, end: int) -> list[Node]:
    """The complete subtrees whose fold (right to left) is MTH(D[start:end]).

    Valid for the ranges RFC 9162 builds: ``start`` aligned to the largest power of two not
    above ``end - start``.
    """
    if not 0 <= start < end:
        raise ValueError("empty or negative range")
    parts: list[Node] = []
    while start < end:
        level = (end - start).bit_length() - 1
        if start:
            level = min(level, (start & -start).bit_length() - 1)
        parts.append((level, start >> level))
        start += 1 << level
    return parts


def array_index(level: int, index: int) -> int:
    """Position of a complete subtree in the array layout of RFC 9420 appendix C."""
    return (index << (level + 1)) + (1 << level) - 1


def fold(hashes: Sequence[bytes]) -> bytes:
    """Combine the hashes of decreasing complete subtrees into the hash of their union."""
    if not hashes:
        return EMPTY_ROOT
    result = hashes[-1]
    for left in reversed(hashes[:-1]):
        result = node_hash(left, result)
    return result


class CompactRange:
    """The peaks (right border) of a tree of ``size`` leaves, grown one leaf at a time."""

    __slots__ = ("peaks", "size")

    def __init__(self, size: int = 0, peaks: Sequence[bytes] = ()) -> None:
        levels = [level for level, _ in subtree_parts(0, size)] if size else []
        if len(levels) != len(peaks):
            raise ValueError("a tree of this size has a different number of peaks")
        self.size = size
        self.peaks: list[tuple[int, bytes]] = list(zip(levels, peaks, strict=True))

    def append(self, leaf: bytes) -> list[tuple[int, int, bytes]]:
        """Add a leaf hash; return the complete subtrees ``(level, index, hash)`` it closes."""
        closed: list[tuple[int, int, bytes]] = []
        level, index, current = 0, self.size, leaf
        peaks = self.peaks
        while peaks and peaks[-1][0] == level:
            current = node_hash(peaks.pop()[1], current)
            level += 1
            index >>= 1
            closed.append((level, index, current))
        peaks.append((level, current))
        self.size += 1
        return closed

    def extend(self, leaves: Iterable[bytes]) -> list[tuple[int, int, bytes]]:
        closed: list[tuple[int, int, bytes]] = []
        for leaf in leaves:
            closed.extend(self.append(leaf))
        return closed

    def root(self) -> bytes:
        """MTH(D[0:size]) from the peaks."""
        return fold([digest for _, digest in self.peaks])


def root_of(leaf_hashes: Iterable[bytes]) -> bytes:
    """MTH of a list of leaf hashes, in linear time and logarithmic memory."""
    compact = CompactRange()
    for leaf in leaf_hashes:
        compact.append(leaf)
    return compact.root()
