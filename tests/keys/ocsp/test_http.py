"""The OCSP responder as openssl and HTTP clients see it on a real server (RFC 6960 A.1)."""

from __future__ import annotations

import base64
import re
from pathlib import Path
from urllib.parse import quote

import httpx
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509 import ocsp
from fastapi.testclient import TestClient

from keys.app import create_app
from keys.layout import CITIZEN_CA, ORGANISATION_CA, ROOT_CA
from keys.registry import revoke_certificate
from onedoor.db import open_database, transaction
from onedoor.migrate import upgrade
from onedoor.runtime import create_runtime
from tests.keys.conftest import make_settings, openssl, write_pem
from tests.keys.ocsp.conftest import issue_member
from tests.keys.ocsp.live import LivePki


def _openssl_ocsp(
    live: LivePki, folder: Path, *args: str, ca: str = ORGANISATION_CA
) -> tuple[int, str]:
    issuer = write_pem(folder / "issuer.pem", [live.pki.ca_certificate(ORGANISATION_CA)])
    root = write_pem(folder / "root.pem", [live.pki.root])
    result = openssl(
        "ocsp",
        "-issuer",
        str(issuer),
        *args,
        "-url",
        f"{live.base_url}/ocsp/{ca}",
        "-CAfile",
        str(root),
        "-resp_text",
    )
    return result.returncode, (result.stdout + result.stderr).decode()


def test_issued_certificate_is_good_and_the_signature_verifies(
    live: LivePki, tmp_path: Path
) -> None:
    leaf = issue_member(live, "LA/GOV/MOH")
    status, text = _openssl_ocsp(
        live, tmp_path, "-cert", str(write_pem(tmp_path / "leaf.pem", [leaf]))
    )
    assert status == 0, text
    assert "Response verify OK" in text
    assert re.search(r"leaf\.pem: good", text), text
    assert "Next Update:" in text
    assert "OCSP Responder" in text  # the responder certificate is in the response


def test_revoked_certificate_is_revoked_with_time_and_reason(live: LivePki, tmp_path: Path) -> None:
    leaf = issue_member(live, "LA/GOV/MOE")
    with transaction(live.runtime.sessions) as session:
        revoke_certificate(
            session=session,
            issuer=ORGANISATION_CA,
            serial_number=leaf.serial_number,
            reason=x509.ReasonFlags.key_compromise,
        )
    status, text = _openssl_ocsp(
        live, tmp_path, "-cert", str(write_pem(tmp_path / "leaf.pem", [leaf]))
    )
    assert status == 0, text
    assert "Response verify OK" in text
    assert re.search(r"leaf\.pem: revoked", text), text
    assert "Reason: keyCompromise" in text
    assert "Revocation Time:" in text


def test_nonce_is_echoed(live: LivePki, tmp_path: Path) -> None:
    leaf = issue_member(live, "LA/GOV/MOJ")
    request_file = tmp_path / "request.der"
    status, text = _openssl_ocsp(
        live,
        tmp_path,
        "-cert",
        str(write_pem(tmp_path / "leaf.pem", [leaf])),
        "-nonce",
        "-reqout",
        str(request_file),
    )
    assert status == 0, text
    assert "WARNING: no nonce" not in text and "nonce verify error" not in text.lower()
    sent = ocsp.load_der_ocsp_request(request_file.read_bytes()).extensions
    nonce = sent.get_extension_for_class(x509.OCSPNonce).value.nonce
    assert nonce.hex().upper() in text.replace(":", "")


def test_serial_never_issued_by_the_ca_is_unknown(live: LivePki, tmp_path: Path) -> None:
    status, text = _openssl_ocsp(live, tmp_path, "-serial", "0x1DEA")
    assert status == 0, text
    assert "Response verify OK" in text
    assert "0x1DEA: unknown" in text


def test_certificate_of_another_ca_is_unauthorized(live: LivePki, tmp_path: Path) -> None:
    leaf = issue_member(live, "LA/GOV/MPI")
    status, text = _openssl_ocsp(
        live, tmp_path, "-cert", str(write_pem(tmp_path / "leaf.pem", [leaf])), ca=CITIZEN_CA
    )
    assert status != 0
    assert "unauthorized" in text


def _request(live: LivePki, certificate: x509.Certificate) -> bytes:
    issuer = live.pki.ca_certificate(ORGANISATION_CA)
    builder = ocsp.OCSPRequestBuilder().add_certificate(certificate, issuer, hashes.SHA256())
    return builder.build().public_bytes(serialization.Encoding.DER)


def test_get_form_answers_like_post(live: LivePki) -> None:
    leaf = issue_member(live, "LA/GOV/MLSW")
    encoded = quote(base64.b64encode(_request(live, leaf)).decode(), safe="")
    response = httpx.get(f"{live.base_url}/ocsp/{ORGANISATION_CA}/{encoded}")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/ocsp-response"
    answer = ocsp.load_der_ocsp_response(response.content)
    assert answer.response_status is ocsp.OCSPResponseStatus.SUCCESSFUL
    assert answer.certificate_status is ocsp.OCSPCertStatus.GOOD
    assert answer.serial_number == leaf.serial_number


def test_garbage_is_a_malformed_request_response_not_an_error_page(live: LivePki) -> None:
    for response in (
        httpx.post(f"{live.base_url}/ocsp/{ORGANISATION_CA}", content=b"\x30\x03garbage"),
        httpx.post(f"{live.base_url}/ocsp/{ORGANISATION_CA}", content=b"x" * 100_000),
        httpx.get(f"{live.base_url}/ocsp/{ORGANISATION_CA}/not*base64"),
        httpx.get(f"{live.base_url}/ocsp/{ORGANISATION_CA}/" + quote(base64.b64encode(b"junk"))),
    ):
        assert response.status_code == 200
        assert response.headers["content-type"] == "application/ocsp-response"
        answer = ocsp.load_der_ocsp_response(response.content)
        assert answer.response_status is ocsp.OCSPResponseStatus.MALFORMED_REQUEST


def test_ca_without_a_responder_is_not_found(live: LivePki) -> None:
    leaf = issue_member(live, "LA/GOV/MONRE")
    for ca in (ROOT_CA, "nobody"):
        response = httpx.post(f"{live.base_url}/ocsp/{ca}", content=_request(live, leaf))
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "unknown_ca"


def test_uninitialised_pki_answers_503(tmp_path: Path) -> None:
    settings = make_settings(tmp_path / "var")
    engine = open_database(settings.database_url)
    upgrade(engine)
    with TestClient(create_app(create_runtime(settings, engine=engine))) as client:
        response = client.post(f"/ocsp/{ORGANISATION_CA}", content=b"\x30\x00")
        assert response.status_code == 503
        assert response.json()["error"]["code"] == "pki_not_initialised"
        assert client.post("/tsa", content=b"\x30\x00").status_code == 503
    engine.dispose()
