"""Tree heads: RFC 6962 signed layout, ECDSA P-256, and forgeries refused."""

from __future__ import annotations

import dataclasses

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from exchange.transparency.errors import TreeHeadSignatureError
from exchange.transparency.merkle import EMPTY_ROOT
from exchange.transparency.tree_head import (
    EcdsaP256Signer,
    EcdsaP256Verifier,
    sign_head,
    tree_head_message,
)

ROOT = bytes(range(32))


def test_signed_bytes_are_rfc6962_tree_head_signature() -> None:
    message = tree_head_message(tree_size=0x0102, timestamp=0x0A0B0C, root_hash=ROOT)
    assert message == (
        b"\x00\x01" + bytes.fromhex("00000000000a0b0c") + bytes.fromhex("0000000000000102") + ROOT
    )
    with pytest.raises(ValueError):
        tree_head_message(tree_size=-1, timestamp=0, root_hash=ROOT)
    with pytest.raises(ValueError):
        tree_head_message(tree_size=1, timestamp=0, root_hash=b"short")


def test_a_genuine_head_verifies(signer: EcdsaP256Signer) -> None:
    head = sign_head(signer, tree_size=7, timestamp=1_700_000_000_000, root_hash=ROOT)
    head.verify(signer.verifier())
    assert head.to_json()["root_hash"] == ROOT.hex()


@pytest.mark.parametrize(
    "changes",
    [
        {"tree_size": 8},
        {"timestamp": 1_700_000_000_001},
        {"root_hash": EMPTY_ROOT},
        {"root_hash": b"short"},
        {"signature": b"\x30\x06\x02\x01\x01\x02\x01\x01"},
        {"signature": b""},
        {"key_id": "00" * 32},
    ],
)
def test_altered_heads_are_refused(signer: EcdsaP256Signer, changes: dict[str, object]) -> None:
    head = sign_head(signer, tree_size=7, timestamp=1_700_000_000_000, root_hash=ROOT)
    forged = dataclasses.replace(head, **changes)  # type: ignore[arg-type]
    with pytest.raises(TreeHeadSignatureError):
        forged.verify(signer.verifier())


def test_a_head_signed_by_another_key_is_refused(signer: EcdsaP256Signer) -> None:
    intruder = EcdsaP256Signer(ec.generate_private_key(ec.SECP256R1()))
    head = sign_head(intruder, tree_size=7, timestamp=1, root_hash=ROOT)
    with pytest.raises(TreeHeadSignatureError):
        head.verify(signer.verifier())
    # even when the attacker copies the genuine key id
    relabelled = dataclasses.replace(head, key_id=signer.key_id)
    with pytest.raises(TreeHeadSignatureError):
        relabelled.verify(signer.verifier())


def test_only_p256_keys_are_accepted() -> None:
    with pytest.raises(ValueError):
        EcdsaP256Signer(ec.generate_private_key(ec.SECP384R1()))
    with pytest.raises(ValueError):
        EcdsaP256Verifier(ec.generate_private_key(ec.SECP384R1()).public_key())
