"""The envelope: signed by the sender, body readable only by the recipient, bound to its request."""

from __future__ import annotations

import base64
import json

import pytest
from joserfc import jws
from joserfc.jwk import ECKey

from exchange.messages.envelope import open_sealed, peek_header, request_hash, seal
from exchange.messages.freshness import check_message_time
from exchange.messages.header import MessageHeader, canonical_json
from exchange.xroad.errors import (
    DecryptionFailedError,
    InvalidMessageError,
    InvalidSignatureError,
    MessageTimeError,
)
from exchange.xroad.identifiers import ClientId, ServiceId
from tests.exchange.gateway.pki import MemberKeys, build_pki

PKI = build_pki()
ALICE = PKI.member(ClientId("LA", "GOV", "ALICE"))
BOB = PKI.member(ClientId("LA", "GOV", "BOB"))
MALLORY = PKI.member(ClientId("LA", "GOV", "MALLORY"))
SERVICE = ServiceId(ClientId("LA", "GOV", "BOB", "REG"), "persons")


def header(sender: MemberKeys = ALICE, **changes: object) -> MessageHeader:
    fields: dict[str, object] = {
        "kind": "request", "message_id": "m-1", "sender": sender.member,
        "recipient": BOB.member, "client": ClientId("LA", "GOV", "ALICE", "APP"),
        "service": SERVICE, "issued_at": 1_800_000_000, "method": "POST", "path": "/persons",
        "headers": {"X-OneDoor-Purpose": "benefit"},
    }
    fields.update(changes)
    return MessageHeader(**fields)  # type: ignore[arg-type]


def sealed(body: bytes = b"secret record", sender: MemberKeys = ALICE, **changes: object) -> str:
    return seal(
        header=header(sender, **changes), body=body, signing_key=sender.signing.key,
        signing_certificate=sender.signing.certificate,
        recipient_key=BOB.encryption.public_key(),
    )


def test_round_trip() -> None:
    wire = sealed()
    opened = open_sealed(
        wire, signing_certificate=ALICE.signing.certificate, decryption_key=BOB.encryption
    )
    assert opened.body == b"secret record"
    assert opened.header == header()
    assert b"secret record" not in wire.encode()
    assert b"secret record" not in base64.urlsafe_b64decode(wire.split(".")[1] + "==")


def test_empty_body_is_not_encrypted_but_still_signed() -> None:
    opened = open_sealed(
        sealed(b""), signing_certificate=ALICE.signing.certificate, decryption_key=BOB.encryption
    )
    assert opened.body == b""


def test_wrong_signer_certificate_is_refused() -> None:
    with pytest.raises(InvalidSignatureError):
        open_sealed(
            sealed(), signing_certificate=MALLORY.signing.certificate,
            decryption_key=BOB.encryption,
        )


def test_changed_header_is_refused() -> None:
    head, _, signature = sealed().split(".")
    changed = sealed(path="/admin").split(".")[1]
    with pytest.raises(InvalidSignatureError):
        open_sealed(
            f"{head}.{changed}.{signature}", signing_certificate=ALICE.signing.certificate,
            decryption_key=BOB.encryption,
        )


def test_body_for_another_recipient_cannot_be_opened() -> None:
    with pytest.raises(DecryptionFailedError):
        open_sealed(
            sealed(), signing_certificate=ALICE.signing.certificate,
            decryption_key=MALLORY.encryption,
        )


def test_encrypted_body_cannot_be_lifted_into_another_senders_message() -> None:
    victim = sealed()
    stolen_body = json.loads(base64.urlsafe_b64decode(victim.split(".")[1] + "=="))["body"]
    # Mallory signs her own message around Alice's encrypted body, hoping Bob decrypts it.
    payload = canonical_json({"hdr": header(MALLORY).to_json(), "body": stolen_body})
    forged = jws.serialize_compact(
        {"alg": "ES256", "typ": "onedoor-message+jws", "x5t#S256": "x"}, payload,
        ECKey.import_key(MALLORY.signing.key),
    )
    with pytest.raises(DecryptionFailedError, match="another message"):
        open_sealed(
            forged, signing_certificate=MALLORY.signing.certificate,
            decryption_key=BOB.encryption,
        )


def test_garbage_is_an_invalid_message() -> None:
    for wire in ("", "a.b", "not.a.jws", "e30.e30.e30"):
        with pytest.raises((InvalidMessageError, InvalidSignatureError)):
            open_sealed(
                wire, signing_certificate=ALICE.signing.certificate,
                decryption_key=BOB.encryption,
            )


def test_peek_header_reads_without_verifying() -> None:
    assert peek_header(sealed()).sender == ALICE.member


def test_request_hash_is_base64_sha512_known_answer() -> None:
    assert request_hash("abc") == (
        "3a81oZNherrMQXNJriBBMRLm+k6JqX6iCp7u5ktV05ohkpkqJ0/BqDa6PCOj/uu9RU1EI2Q86A4qmslPpUyknw=="
    )


def test_message_time_window() -> None:
    message = header()
    check_message_time(message, now=1_800_000_000 + 300, window=300)
    check_message_time(message, now=1_800_000_000 - 300, window=300)
    with pytest.raises(MessageTimeError):
        check_message_time(message, now=1_800_000_000 + 301, window=300)
    with pytest.raises(MessageTimeError):
        check_message_time(message, now=1_800_000_000 - 301, window=300)


def test_header_from_json_refuses_malformed() -> None:
    data = header().to_json()
    for key, value in (("kind", "other"), ("issued_at", "soon"), ("client", "a/b"),
                       ("headers", {"a": 1}), ("status", "200")):
        with pytest.raises(InvalidMessageError):
            MessageHeader.from_json({**data, key: value})
    with pytest.raises(InvalidMessageError):
        MessageHeader.from_json([])
