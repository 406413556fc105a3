"""request_timestamp(): a checked token, or a typed error the signer must stop on."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from asn1crypto import cms, core, tsp
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from keys.tsa.authority import TimeStampReply, rejection
from keys.tsa.client import HttpTimestampTransport, LocalTimestampTransport, request_timestamp
from keys.tsa.errors import InvalidTimestampError, TsaRejectedError, TsaUnavailableError
from keys.tsa.query import parse_query
from keys.tsa.token import TsaSigner, signed_token, tst_info
from keys.tsa.verify import verify_timestamp_token
from tests.keys.conftest import openssl, write_pem
from tests.keys.ocsp.live import LivePki
from tests.support.ports import free_port

DATA = b"application 2031/0042"
DIGEST = hashlib.sha256(DATA).digest()
REPLY = "application/timestamp-reply"


def _through(answer: Callable[[bytes], bytes | httpx.Response]) -> HttpTimestampTransport:
    """An HTTP transport whose server is ``answer`` (a TSA, or an attacker in the middle)."""

    def handler(request: httpx.Request) -> httpx.Response:
        result = answer(request.content)
        if isinstance(result, httpx.Response):
            return result
        return httpx.Response(200, content=result, headers={"content-type": REPLY})

    return HttpTimestampTransport("http://tsa.test/tsa", transport=httpx.MockTransport(handler))


def _ask(live: LivePki, transport: HttpTimestampTransport) -> bytes:
    return request_timestamp(
        data_digest=DIGEST, transport=transport, tsa_certificate=live.pki.timestamp_authority
    )


def _genuine(live: LivePki) -> LocalTimestampTransport:
    return LocalTimestampTransport(live.runtime.sessions, live.pki)


def test_token_over_http_verifies_with_openssl(live: LivePki, tmp_path: Path) -> None:
    token = request_timestamp(
        data_digest=DIGEST,
        url=f"{live.base_url}/tsa",
        tsa_certificate=live.pki.timestamp_authority,
    )
    (tmp_path / "token.der").write_bytes(token)
    (tmp_path / "data").write_bytes(DATA)
    result = openssl(
        "ts",
        "-verify",
        "-token_in",
        "-in",
        str(tmp_path / "token.der"),
        "-data",
        str(tmp_path / "data"),
        "-CAfile",
        str(write_pem(tmp_path / "root.pem", [live.pki.root])),
        "-untrusted",
        str(write_pem(tmp_path / "ca.pem", [live.pki.ca_certificate("services-ca")])),
    )
    assert b"Verification: OK" in result.stdout, result.stderr


def test_local_transport_needs_no_http(live: LivePki) -> None:
    token = request_timestamp(data_digest=DIGEST, transport=_genuine(live), nonce=99)
    info = verify_timestamp_token(token, data_digest=DIGEST, hash_algorithm="sha256", nonce=99)
    assert info.certificate == live.pki.timestamp_authority
    assert info.nonce == 99


def test_unreachable_tsa_is_a_typed_error() -> None:
    with pytest.raises(TsaUnavailableError) as caught:
        request_timestamp(data_digest=DIGEST, url=f"http://127.0.0.1:{free_port()}/tsa")
    assert caught.value.code == "tsa_unavailable"


@pytest.mark.parametrize(
    "response",
    [
        httpx.Response(503, json={"error": {"code": "pki_not_initialised", "message": "x"}}),
        httpx.Response(200, content=b"<html>proxy</html>", headers={"content-type": "text/html"}),
        httpx.Response(200, content=b"garbage", headers={"content-type": REPLY}),
    ],
)
def test_answers_that_are_not_rfc3161_are_unavailable(
    live: LivePki, response: httpx.Response
) -> None:
    with pytest.raises(TsaUnavailableError):
        _ask(live, _through(lambda _query: response))


def test_rejection_is_a_typed_error_with_the_failure_bits(live: LivePki) -> None:
    answer = rejection("system_failure", "maintenance")
    with pytest.raises(TsaRejectedError) as caught:
        _ask(live, _through(lambda _query: answer))
    assert caught.value.fail_info == ("system_failure",)
    assert "maintenance" in caught.value.message


def test_granted_without_token_is_invalid(live: LivePki) -> None:
    empty = TimeStampReply({"status": {"status": "granted"}}).dump()
    with pytest.raises(InvalidTimestampError):
        _ask(live, _through(lambda _query: empty))


def test_replayed_token_with_an_old_nonce_is_refused(live: LivePki) -> None:
    old = _genuine(live).exchange(
        tsp.TimeStampReq(
            {
                "version": "v1",
                "message_imprint": {
                    "hash_algorithm": {"algorithm": "sha256"},
                    "hashed_message": DIGEST,
                },
                "nonce": 1,
                "cert_req": True,
            }
        ).dump()
    )
    with pytest.raises(InvalidTimestampError, match="nonce"):
        _ask(live, _through(lambda _query: old))


def test_token_for_other_data_is_refused(live: LivePki) -> None:
    other = hashlib.sha256(b"another document").digest()

    def swap(query: bytes) -> bytes:
        request = tsp.TimeStampReq.load(query)
        request["message_imprint"]["hashed_message"] = other
        return _genuine(live).exchange(request.dump())

    with pytest.raises(InvalidTimestampError, match="other data"):
        _ask(live, _through(swap))


def _edit_token(reply: bytes, edit: Callable[[cms.SignedData], None]) -> bytes:
    parsed = TimeStampReply.load(reply)
    token = cms.ContentInfo.load(parsed["time_stamp_token"].dump())
    edit(token["content"])
    return TimeStampReply({"status": {"status": "granted"}, "time_stamp_token": token}).dump()


def test_tampered_tstinfo_is_refused(live: LivePki) -> None:
    def backdate(signed_data: cms.SignedData) -> None:
        info = tsp.TSTInfo.load(signed_data["encap_content_info"]["content"].contents)
        info["gen_time"] = info["gen_time"].native - timedelta(days=365)
        signed_data["encap_content_info"]["content"] = core.ParsableOctetString(info.dump())

    def mitm(query: bytes) -> bytes:
        return _edit_token(_genuine(live).exchange(query), backdate)

    with pytest.raises(InvalidTimestampError, match="messageDigest"):
        _ask(live, _through(mitm))


def test_tampered_signature_is_refused(live: LivePki) -> None:
    def flip(signed_data: cms.SignedData) -> None:
        signer = signed_data["signer_infos"][0]
        signature = bytearray(signer["signature"].native)
        signature[-1] ^= 0x01
        signer["signature"] = bytes(signature)

    def mitm(query: bytes) -> bytes:
        return _edit_token(_genuine(live).exchange(query), flip)

    with pytest.raises(InvalidTimestampError):
        _ask(live, _through(mitm))


def _forged_reply(query: bytes, signer: TsaSigner) -> bytes:
    checked = parse_query(query)
    info = tst_info(
        query=checked,
        serial_number=1,
        gen_time=datetime.now(UTC),
        tsa=signer.certificate.subject,
    )
    token = signed_token(info=info, signer=signer, include_certificate=True)
    return TimeStampReply({"status": {"status": "granted"}, "time_stamp_token": token}).dump()


def _rogue_tsa() -> TsaSigner:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "OneDoor Timestamp Authority")])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        .sign(key, hashes.SHA256())
    )
    return TsaSigner(certificate, key)


def test_token_from_a_rogue_tsa_is_refused(live: LivePki) -> None:
    rogue = _rogue_tsa()
    with pytest.raises(InvalidTimestampError, match="expected time-stamp authority"):
        _ask(live, _through(lambda query: _forged_reply(query, rogue)))


def test_rogue_key_claiming_the_real_tsa_certificate_is_refused(live: LivePki) -> None:
    impostor = TsaSigner(live.pki.timestamp_authority, _rogue_tsa().key)
    with pytest.raises(InvalidTimestampError, match="signature"):
        _ask(live, _through(lambda query: _forged_reply(query, impostor)))


def test_weak_or_mislabelled_digests_are_refused_before_asking(live: LivePki) -> None:
    for digest, algorithm in ((hashlib.sha1(DATA).digest(), "sha1"), (DIGEST, "sha512")):
        with pytest.raises(ValueError):
            request_timestamp(
                data_digest=digest, hash_algorithm=algorithm, transport=_genuine(live)
            )
    with pytest.raises(ValueError):
        request_timestamp(data_digest=DIGEST)
