"""The Merkle tree agrees with RFC 9162's definitions, the CT test vectors, and fails closed."""

from __future__ import annotations

import hashlib

import pytest

from exchange.transparency.errors import ConsistencyProofError, InclusionProofError
from exchange.transparency.merkle import (
    EMPTY_ROOT,
    CompactRange,
    consistency_ranges,
    fold,
    inclusion_ranges,
    leaf_hash,
    root_of,
    subtree_parts,
)
from exchange.transparency.proofs import verify_consistency, verify_inclusion

# --- a deliberately naive reference, transcribed from RFC 9162 section 2.1 ---------------


def ref_mth(data: list[bytes]) -> bytes:
    n = len(data)
    if n == 0:
        return hashlib.sha256(b"").digest()
    if n == 1:
        return hashlib.sha256(b"\x00" + data[0]).digest()
    k = 1
    while k * 2 < n:
        k *= 2
    return hashlib.sha256(b"\x01" + ref_mth(data[:k]) + ref_mth(data[k:])).digest()


def ref_path(m: int, data: list[bytes]) -> list[bytes]:
    n = len(data)
    if n == 1:
        return []
    k = 1
    while k * 2 < n:
        k *= 2
    if m < k:
        return [*ref_path(m, data[:k]), ref_mth(data[k:])]
    return [*ref_path(m - k, data[k:]), ref_mth(data[:k])]


def ref_subproof(m: int, data: list[bytes], b: bool) -> list[bytes]:
    n = len(data)
    if m == n:
        return [] if b else [ref_mth(data)]
    k = 1
    while k * 2 < n:
        k *= 2
    if m <= k:
        return [*ref_subproof(m, data[:k], b), ref_mth(data[k:])]
    return [*ref_subproof(m - k, data[k:], False), ref_mth(data[:k])]


def ref_proof(m: int, data: list[bytes]) -> list[bytes]:
    return ref_subproof(m, data, True)


# --- the production tree, answering proofs from complete subtrees only -----------------


class StoredTree:
    """Leaves appended through CompactRange; proofs built only from the nodes it closed."""

    def __init__(self, data: list[bytes]) -> None:
        self.nodes: dict[tuple[int, int], bytes] = {}
        compact = CompactRange()
        for index, item in enumerate(data):
            digest = leaf_hash(item)
            self.nodes[(0, index)] = digest
            for level, node_index, node in compact.append(digest):
                self.nodes[(level, node_index)] = node
        self.compact = compact

    def range_hash(self, start: int, end: int) -> bytes:
        return fold([self.nodes[part] for part in subtree_parts(start, end)])

    def inclusion(self, index: int, size: int) -> list[bytes]:
        return [self.range_hash(*r) for r in inclusion_ranges(index, size)]

    def consistency(self, first: int, second: int) -> list[bytes]:
        return [self.range_hash(*r) for r in consistency_ranges(first, second)]


CT_LEAVES = [
    bytes.fromhex(h)
    for h in (
        "",
        "00",
        "10",
        "2021",
        "3031",
        "40414243",
        "5051525354555657",
        "606162636465666768696a6b6c6d6e6f",
    )
]
CT_ROOTS = [
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]
CT_INCLUSION = [  # (leaf index, tree size, audit path)
    (
        0,
        8,
        [
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
    (
        5,
        8,
        [
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
    (2, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]),
    (
        1,
        5,
        [
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ],
    ),
]
CT_CONSISTENCY = [  # (first, second, proof)
    (
        1,
        8,
        [
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
    (
        6,
        8,
        [
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
    (
        2,
        5,
        [
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ],
    ),
]

SOME_HASH = bytes.fromhex("abacaba000000000000000000000000000000000000000000060061e00123456")
GENERATED = [bytes([i % 256, i // 256]) for i in range(70)]
CT_TREE = StoredTree(CT_LEAVES)


def test_empty_tree_hash_is_sha256_of_nothing() -> None:
    assert EMPTY_ROOT.hex() == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    assert root_of([]) == EMPTY_ROOT


@pytest.mark.parametrize("size", range(1, 9))
def test_roots_match_the_certificate_transparency_vectors(size: int) -> None:
    assert ref_mth(CT_LEAVES[:size]).hex() == CT_ROOTS[size - 1]
    assert root_of(leaf_hash(d) for d in CT_LEAVES[:size]).hex() == CT_ROOTS[size - 1]


@pytest.mark.parametrize(("index", "size", "path"), CT_INCLUSION)
def test_inclusion_proofs_match_the_vectors(index: int, size: int, path: list[str]) -> None:
    assert [h.hex() for h in CT_TREE.inclusion(index, size)] == path
    verify_inclusion(
        leaf_hash=leaf_hash(CT_LEAVES[index]),
        index=index,
        tree_size=size,
        proof=[bytes.fromhex(h) for h in path],
        root_hash=bytes.fromhex(CT_ROOTS[size - 1]),
    )


@pytest.mark.parametrize(("first", "second", "path"), CT_CONSISTENCY)
def test_consistency_proofs_match_the_vectors(first: int, second: int, path: list[str]) -> None:
    assert [h.hex() for h in CT_TREE.consistency(first, second)] == path
    verify_consistency(
        first=first,
        second=second,
        first_hash=bytes.fromhex(CT_ROOTS[first - 1]),
        second_hash=bytes.fromhex(CT_ROOTS[second - 1]),
        proof=[bytes.fromhex(h) for h in path],
    )


def test_production_tree_agrees_with_the_naive_reference_for_every_shape() -> None:
    tree = StoredTree(GENERATED)
    for size in range(1, len(GENERATED) + 1):
        data = GENERATED[:size]
        root = ref_mth(data)
        assert tree.range_hash(0, size) == root
        assert CompactRange(size, [tree.nodes[p] for p in subtree_parts(0, size)]).root() == root
        for index in range(size):
            proof = tree.inclusion(index, size)
            assert proof == ref_path(index, data)
            verify_inclusion(
                leaf_hash=leaf_hash(data[index]),
                index=index,
                tree_size=size,
                proof=proof,
                root_hash=root,
            )
        for first in range(1, size + 1):
            proof = tree.consistency(first, size)
            assert proof == ref_proof(first, data)
            verify_consistency(
                first=first,
                second=size,
                first_hash=ref_mth(data[:first]),
                second_hash=root,
                proof=proof,
            )


def _flip(value: bytes) -> bytes:
    return bytes([value[0] ^ 8]) + value[1:]


def inclusion_forgeries(
    index: int, size: int, proof: list[bytes], root: bytes, leaf: bytes
) -> list[tuple[int, int, list[bytes], bytes, bytes]]:
    """Everything an attacker might try with a genuine proof in hand (after trillian's probes)."""
    probes = [
        (index - 1, size, proof, root, leaf),
        (index + 1, size, proof, root, leaf),
        (index ^ 2, size, proof, root, leaf),
        (index, size * 2, proof, root, leaf),
        (index, size // 2, proof, root, leaf),
        (index, size, proof, root, leaf_hash(b"WrongLeaf")),
        (index, size, proof, EMPTY_ROOT, leaf),
        (index, size, proof, SOME_HASH, leaf),
        (index, size, [*proof, root], root, leaf),
        (index, size, [root, *proof], root, leaf),
    ]
    for i in range(len(proof)):
        probes.append((index, size, [*proof[:i], _flip(proof[i]), *proof[i + 1 :]], root, leaf))
    if proof:
        probes.append((index, size, proof[:-1], root, leaf))
    if len(proof) > 1:
        probes.append((index, size, [proof[0], SOME_HASH, *proof[1:]], root, leaf))
    return probes


def test_every_tampered_inclusion_proof_is_refused() -> None:
    tree = StoredTree(GENERATED)
    for size in range(1, len(GENERATED) + 1):
        root = tree.range_hash(0, size)
        for index in range(size):
            proof = tree.inclusion(index, size)
            leaf = tree.nodes[(0, index)]
            for i, n, p, r, lf in inclusion_forgeries(index, size, proof, root, leaf):
                if (i, n, p, r, lf) == (index, size, proof, root, leaf) or (
                    size == 1 and n == 1 and i == 0 and p == proof and r == root and lf == leaf
                ):
                    continue
                with pytest.raises(InclusionProofError):
                    verify_inclusion(leaf_hash=lf, index=i, tree_size=n, proof=p, root_hash=r)


def test_every_tampered_consistency_proof_is_refused() -> None:
    tree = StoredTree(GENERATED)
    for second in range(2, len(GENERATED) + 1):
        root2 = tree.range_hash(0, second)
        for first in range(1, second):
            root1 = tree.range_hash(0, first)
            proof = tree.consistency(first, second)
            probes = [
                (first - 1, second, root1, root2, proof),
                (first + 1, second, root1, root2, proof),
                (first ^ 2, second, root1, root2, proof),
                (first, second * 2, root1, root2, proof),
                (first, second // 2, root1, root2, proof),
                (first, second, SOME_HASH, root2, proof),
                (first, second, root1, SOME_HASH, proof),
                (first, second, root2, root1, proof),
                (first, second, root1, root2, []),
                (first, second, root1, root2, [*proof, root1]),
                (first, second, root1, root2, [*proof, root2]),
                (first, second, root1, root2, [root1, *proof]),
                (first, second, root1, root2, [root2, *proof]),
                (first, second, root1, root2, [proof[0], *proof]),
                (first, second, root1, root2, proof[:-1]),
            ]
            for i in range(len(proof)):
                flipped = [*proof[:i], _flip(proof[i]), *proof[i + 1 :]]
                probes.append((first, second, root1, root2, flipped))
            for f, s, r1, r2, p in probes:
                if (f, s, r1, r2, p) == (first, second, root1, root2, proof):
                    continue
                with pytest.raises(ConsistencyProofError):
                    verify_consistency(first=f, second=s, first_hash=r1, second_hash=r2, proof=p)


def test_trivial_consistency_cases() -> None:
    verify_consistency(first=0, second=5, first_hash=EMPTY_ROOT, second_hash=SOME_HASH, proof=[])
    verify_consistency(first=3, second=3, first_hash=SOME_HASH, second_hash=SOME_HASH, proof=[])
    with pytest.raises(ConsistencyProofError):
        verify_consistency(
            first=3, second=3, first_hash=SOME_HASH, second_hash=EMPTY_ROOT, proof=[]
        )
    with pytest.raises(ConsistencyProofError):
        verify_consistency(
            first=3, second=3, first_hash=SOME_HASH, second_hash=SOME_HASH, proof=[SOME_HASH]
        )
    with pytest.raises(ConsistencyProofError):
        verify_consistency(first=4, second=2, first_hash=SOME_HASH, second_hash=SOME_HASH, proof=[])


def test_malformed_hashes_are_refused_not_crashed_on() -> None:
    with pytest.raises(InclusionProofError):
        verify_inclusion(leaf_hash=b"short", index=0, tree_size=1, proof=[], root_hash=b"short")
    with pytest.raises(InclusionProofError):
        verify_inclusion(
            leaf_hash=SOME_HASH,
            index=0,
            tree_size=2,
            proof=["x" * 32],  # type: ignore[list-item]
            root_hash=SOME_HASH,
        )
    with pytest.raises(ValueError):
        inclusion_ranges(3, 3)
    with pytest.raises(ValueError):
        consistency_ranges(0, 3)
