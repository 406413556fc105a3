"""The TSA's replies: granted tokens, and rejections for what it refuses (RFC 3161 2.4)."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path

import pytest
from asn1crypto import cms, core, tsp
from sqlalchemy.orm import Session

from keys.pki import Pki
from keys.tsa.authority import TimeStampReply, respond
from keys.tsa.client import build_query
from keys.tsa.policy import TSA_POLICY_OID
from keys.tsa.verify import verify_timestamp_token
from onedoor.db import open_database, session_factory

NOW = datetime(2031, 5, 4, 3, 2, 1, 234_567, tzinfo=UTC)
DIGEST = hashlib.sha256(b"an application form").digest()


def _query(**fields: object) -> bytes:
    values: dict[str, object] = {
        "version": "v1",
        "message_imprint": {"hash_algorithm": {"algorithm": "sha256"}, "hashed_message": DIGEST},
        "nonce": 42,
        "cert_req": True,
    }
    values.update(fields)
    return tsp.TimeStampReq(values).dump()


def _reply(session: Session, pki: Pki, query: bytes) -> TimeStampReply:
    der = respond(session=session, pki=pki, query_der=query, clock=lambda: NOW)
    return TimeStampReply.load(der)


def _info(reply: TimeStampReply) -> tsp.TSTInfo:
    signed_data = reply["time_stamp_token"]["content"]
    info: tsp.TSTInfo = signed_data["encap_content_info"]["content"].parsed
    return info


def test_granted_token_answers_the_query(db_session: Session, shared_pki: Pki) -> None:
    reply = _reply(db_session, shared_pki, _query())
    assert reply["status"]["status"].native == "granted"
    info = _info(reply)
    assert info["policy"].dotted == TSA_POLICY_OID
    assert info["nonce"].native == 42
    assert info["message_imprint"]["hashed_message"].native == DIGEST
    assert info["gen_time"].native == NOW.replace(microsecond=234_000)
    assert info["accuracy"]["seconds"].native == 1
    assert info["tsa"].chosen.native["common_name"] == "OneDoor Timestamp Authority"
    token = reply["time_stamp_token"].dump()
    checked = verify_timestamp_token(
        token,
        data_digest=DIGEST,
        hash_algorithm="sha256",
        nonce=42,
        tsa_certificate=shared_pki.timestamp_authority,
    )
    assert checked.serial_number == info["serial_number"].native


def test_signed_attributes_bind_the_tsa_certificate(db_session: Session, shared_pki: Pki) -> None:
    signed_data = _reply(db_session, shared_pki, _query())["time_stamp_token"]["content"]
    signer: cms.SignerInfo = signed_data["signer_infos"][0]
    attributes = {a["type"].native: a["values"] for a in signer["signed_attrs"]}
    assert set(attributes) == {"content_type", "message_digest", "signing_certificate_v2"}
    ess = attributes["signing_certificate_v2"][0]["certs"][0]
    tsa_der = signed_data["certificates"][0].chosen.dump()
    assert ess["cert_hash"].native == hashlib.sha256(tsa_der).digest()
    assert signer["signature_algorithm"]["algorithm"].native == "sha256_ecdsa"


def test_serial_numbers_increase(db_session: Session, shared_pki: Pki) -> None:
    serials = [
        _info(_reply(db_session, shared_pki, _query()))["serial_number"].native for _ in range(3)
    ]
    assert serials == sorted(serials)
    assert len(set(serials)) == 3


@pytest.mark.parametrize("cert_req", [True, False])
def test_certificate_only_when_asked(db_session: Session, shared_pki: Pki, cert_req: bool) -> None:
    reply = _reply(db_session, shared_pki, _query(cert_req=cert_req))
    certificates = reply["time_stamp_token"]["content"]["certificates"]
    assert (len(certificates) if cert_req else certificates.native) == (1 if cert_req else None)


@pytest.mark.parametrize(("algorithm", "size"), [("sha384", 48), ("sha512", 64)])
def test_longer_sha2_digests_are_accepted(
    db_session: Session, shared_pki: Pki, algorithm: str, size: int
) -> None:
    digest = bytes(size)
    query = build_query(data_digest=digest, hash_algorithm=algorithm, nonce=7)
    reply = _reply(db_session, shared_pki, query)
    assert reply["status"]["status"].native == "granted"
    assert _info(reply)["message_imprint"]["hash_algorithm"]["algorithm"].native == algorithm


def _rejected(reply: TimeStampReply) -> set[str]:
    assert reply["status"]["status"].native == "rejection"
    assert reply["time_stamp_token"].native is None
    fail_info: set[str] = reply["status"]["fail_info"].native
    return fail_info


@pytest.mark.parametrize(
    ("algorithm", "digest"),
    [("sha1", bytes(20)), ("md5", bytes(16)), ("sha224", bytes(28)), ("sha3_256", bytes(32))],
)
def test_other_hash_algorithms_are_rejected_with_bad_alg(
    db_session: Session, shared_pki: Pki, algorithm: str, digest: bytes
) -> None:
    imprint = {"hash_algorithm": {"algorithm": algorithm}, "hashed_message": digest}
    assert _rejected(_reply(db_session, shared_pki, _query(message_imprint=imprint))) == {"bad_alg"}


@pytest.mark.parametrize(
    "query",
    [
        b"",
        b"garbage",
        b"\x30\x00",
        b"\x30\x82\xff\xff\x02\x01\x01",
        _query()[:-4],
        _query() + b"\x00",
        b"\x30" * 20_000,
        _query(message_imprint={"hash_algorithm": {"algorithm": "sha256"}, "hashed_message": b"x"}),
    ],
)
def test_malformed_queries_are_rejected_with_bad_data_format(
    db_session: Session, shared_pki: Pki, query: bytes
) -> None:
    assert _rejected(_reply(db_session, shared_pki, query)) == {"bad_data_format"}


def test_foreign_policy_is_rejected(db_session: Session, shared_pki: Pki) -> None:
    reply = _reply(db_session, shared_pki, _query(req_policy="1.2.3.4"))
    assert _rejected(reply) == {"unaccepted_policy"}
    granted = _reply(db_session, shared_pki, _query(req_policy=TSA_POLICY_OID))
    assert granted["status"]["status"].native == "granted"


def test_request_extensions_are_rejected(db_session: Session, shared_pki: Pki) -> None:
    extension = {"extn_id": "1.2.3.4", "critical": False, "extn_value": core.OctetString(b"x")}
    reply = _reply(db_session, shared_pki, _query(extensions=[extension]))
    assert _rejected(reply) == {"unaccepted_extensions"}


def test_huge_nonce_is_rejected(db_session: Session, shared_pki: Pki) -> None:
    assert _rejected(_reply(db_session, shared_pki, _query(nonce=1 << 600))) == {"bad_request"}


def test_database_failure_is_a_system_failure_rejection(shared_pki: Pki, tmp_path: Path) -> None:
    engine = open_database(f"sqlite:///{tmp_path / 'empty.db'}")  # no keys_tsa_serial table
    with session_factory(engine)() as session:
        reply = _reply(session, shared_pki, _query())
    engine.dispose()
    assert _rejected(reply) == {"system_failure"}
