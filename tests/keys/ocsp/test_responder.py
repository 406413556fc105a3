"""respond(): certStatus from the register, signed by the delegated responder (RFC 6960 4.2)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509 import ocsp
from sqlalchemy.orm import Session

from keys.errors import UnknownCaError
from keys.issuance import issue_member_tls_certificate
from keys.layout import CITIZEN_CA, ORGANISATION_CA, ROOT_CA
from keys.ocsp.responder import OCSP_VALIDITY, respond
from keys.pki import Pki
from keys.registry import revoke_certificate
from onedoor.db import open_database, session_factory

NOW = datetime(2031, 5, 4, 3, 2, 1, 500_000, tzinfo=UTC)


def _issue(session: Session, pki: Pki) -> x509.Certificate:
    return issue_member_tls_certificate(
        session=session,
        pki=pki,
        member_id="LA/GOV/MOF",
        member_name="Ministry of Finance",
        public_key=ec.generate_private_key(ec.SECP256R1()).public_key(),
        hosts=["gw.mof.gov.la"],
    )


def _request(
    pki: Pki,
    certificate: x509.Certificate,
    *,
    nonce: bytes | None = None,
    algorithm: hashes.HashAlgorithm | None = None,
) -> bytes:
    builder = ocsp.OCSPRequestBuilder().add_certificate(
        certificate, pki.ca_certificate(ORGANISATION_CA), algorithm or hashes.SHA1()
    )
    if nonce is not None:
        builder = builder.add_extension(x509.OCSPNonce(nonce), critical=False)
    return builder.build().public_bytes(serialization.Encoding.DER)


def _answer(session: Session, pki: Pki, request: bytes) -> ocsp.OCSPResponse:
    der = respond(
        session=session, pki=pki, ca=ORGANISATION_CA, request_der=request, clock=lambda: NOW
    )
    return ocsp.load_der_ocsp_response(der)


def _check_signature(pki: Pki, answer: ocsp.OCSPResponse) -> None:
    responder = pki.ocsp_responder(ORGANISATION_CA)
    assert answer.certificates[0] == responder
    responder.verify_directly_issued_by(pki.ca_certificate(ORGANISATION_CA))
    public_key = responder.public_key()
    assert isinstance(public_key, ec.EllipticCurvePublicKey)
    assert answer.signature_hash_algorithm is not None
    public_key.verify(
        answer.signature, answer.tbs_response_bytes, ec.ECDSA(answer.signature_hash_algorithm)
    )


def test_good_answer_is_signed_by_the_delegated_responder(
    db_session: Session, shared_pki: Pki
) -> None:
    leaf = _issue(db_session, shared_pki)
    answer = _answer(db_session, shared_pki, _request(shared_pki, leaf))
    assert answer.response_status is ocsp.OCSPResponseStatus.SUCCESSFUL
    assert answer.certificate_status is ocsp.OCSPCertStatus.GOOD
    assert answer.serial_number == leaf.serial_number
    assert answer.this_update_utc == NOW.replace(microsecond=0)
    assert answer.next_update_utc == NOW.replace(microsecond=0) + OCSP_VALIDITY
    _check_signature(shared_pki, answer)
    with pytest.raises(x509.ExtensionNotFound):
        answer.extensions.get_extension_for_class(x509.OCSPNonce)


@pytest.mark.parametrize(
    ("reason", "expected"),
    [
        (x509.ReasonFlags.key_compromise, x509.ReasonFlags.key_compromise),
        (x509.ReasonFlags.superseded, x509.ReasonFlags.superseded),
        (x509.ReasonFlags.unspecified, None),  # left out, as in the CRL
    ],
)
def test_revoked_answer_carries_time_and_reason(
    db_session: Session,
    shared_pki: Pki,
    reason: x509.ReasonFlags,
    expected: x509.ReasonFlags | None,
) -> None:
    leaf = _issue(db_session, shared_pki)
    revoked_at = datetime(2031, 5, 1, 8, 0, 0, tzinfo=UTC)
    revoke_certificate(
        session=db_session,
        issuer=ORGANISATION_CA,
        serial_number=leaf.serial_number,
        reason=reason,
        clock=lambda: revoked_at,
    )
    answer = _answer(db_session, shared_pki, _request(shared_pki, leaf))
    assert answer.certificate_status is ocsp.OCSPCertStatus.REVOKED
    assert answer.revocation_time_utc == revoked_at
    assert answer.revocation_reason == expected
    _check_signature(shared_pki, answer)


@pytest.mark.parametrize("algorithm", [hashes.SHA256(), hashes.SHA384(), hashes.SHA512()])
def test_unissued_serial_is_unknown_whatever_the_cert_id_hash(
    db_session: Session, shared_pki: Pki, algorithm: hashes.HashAlgorithm
) -> None:
    # A certificate the CA never recorded: same issuer, serial absent from the register.
    leaf = _issue(db_session, shared_pki)
    db_session.rollback()
    answer = _answer(db_session, shared_pki, _request(shared_pki, leaf, algorithm=algorithm))
    assert answer.certificate_status is ocsp.OCSPCertStatus.UNKNOWN
    assert answer.hash_algorithm.name == algorithm.name
    _check_signature(shared_pki, answer)


@pytest.mark.parametrize("size", [1, 16, 32, 128])
def test_nonce_is_echoed(db_session: Session, shared_pki: Pki, size: int) -> None:
    leaf = _issue(db_session, shared_pki)
    nonce = bytes(range(size))
    answer = _answer(db_session, shared_pki, _request(shared_pki, leaf, nonce=nonce))
    assert answer.extensions.get_extension_for_class(x509.OCSPNonce).value.nonce == nonce


def test_oversized_nonce_is_malformed(db_session: Session, shared_pki: Pki) -> None:
    leaf = _issue(db_session, shared_pki)
    answer = _answer(db_session, shared_pki, _request(shared_pki, leaf, nonce=b"n" * 129))
    assert answer.response_status is ocsp.OCSPResponseStatus.MALFORMED_REQUEST


def test_unknown_critical_extension_is_malformed(db_session: Session, shared_pki: Pki) -> None:
    leaf = _issue(db_session, shared_pki)
    request = (
        ocsp.OCSPRequestBuilder()
        .add_certificate(leaf, shared_pki.ca_certificate(ORGANISATION_CA), hashes.SHA1())
        .add_extension(
            x509.UnrecognizedExtension(x509.ObjectIdentifier("1.3.6.1.4.1.99999.1"), b"\x05\x00"),
            critical=True,
        )
        .build()
        .public_bytes(serialization.Encoding.DER)
    )
    answer = _answer(db_session, shared_pki, request)
    assert answer.response_status is ocsp.OCSPResponseStatus.MALFORMED_REQUEST


@pytest.mark.parametrize(
    "body", [b"", b"garbage", b"\x30\x00", b"\x30\x82\xff\xff", b"\x30" * 20_000]
)
def test_malformed_requests_get_malformed_request(
    db_session: Session, shared_pki: Pki, body: bytes
) -> None:
    answer = _answer(db_session, shared_pki, body)
    assert answer.response_status is ocsp.OCSPResponseStatus.MALFORMED_REQUEST


def test_truncated_request_is_malformed(db_session: Session, shared_pki: Pki) -> None:
    leaf = _issue(db_session, shared_pki)
    request = _request(shared_pki, leaf)
    answer = _answer(db_session, shared_pki, request[:-5])
    assert answer.response_status is ocsp.OCSPResponseStatus.MALFORMED_REQUEST


def test_question_about_another_ca_is_unauthorized(db_session: Session, shared_pki: Pki) -> None:
    leaf = _issue(db_session, shared_pki)
    der = respond(
        session=db_session,
        pki=shared_pki,
        ca=CITIZEN_CA,
        request_der=_request(shared_pki, leaf),
    )
    answer = ocsp.load_der_ocsp_response(der)
    assert answer.response_status is ocsp.OCSPResponseStatus.UNAUTHORIZED


@pytest.mark.parametrize("ca", [ROOT_CA, "timestamp-authority", "nobody"])
def test_names_without_a_responder_raise_unknown_ca(
    db_session: Session, shared_pki: Pki, ca: str
) -> None:
    with pytest.raises(UnknownCaError):
        respond(session=db_session, pki=shared_pki, ca=ca, request_der=b"")


def test_register_failure_is_an_internal_error_response(shared_pki: Pki, tmp_path: Path) -> None:
    engine = open_database(f"sqlite:///{tmp_path / 'empty.db'}")  # no keys_certificate table
    leaf = shared_pki.ocsp_responder(ORGANISATION_CA)
    with session_factory(engine)() as session:
        der = respond(
            session=session,
            pki=shared_pki,
            ca=ORGANISATION_CA,
            request_der=_request(shared_pki, leaf),
        )
    engine.dispose()
    answer = ocsp.load_der_ocsp_response(der)
    assert answer.response_status is ocsp.OCSPResponseStatus.INTERNAL_ERROR
