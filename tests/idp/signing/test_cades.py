"""Detached CAdES B-LT over XML / JSON through the CSC service: openssl, validator, CLI."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from asn1crypto import cms
from cryptography.hazmat.primitives.serialization import Encoding
from typer.testing import CliRunner

from idp.signing.cades import sign_detached
from idp.signing.cades_validation import validate_cades
from idp.signing.cli import app
from idp.signing.ltv import http_sources
from idp.signing.validation import Indication
from onedoor.errors import InvalidRequestError
from tests.idp.signing.conftest import Live

pytestmark = [
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
    pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"),
]

XML = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<application reference="APP-2026-000123">'
    "<name>ສົມໃຈ ພົມມະວົງ</name><benefit>child-allowance</benefit></application>\n"
).encode()


@pytest.fixture(scope="module")
def signed(live: Live) -> bytes:
    citizen = live.citizen()
    result: bytes = live.with_signer(
        citizen, lambda signer: sign_detached(XML, signer=signer, sources=live.sources)
    )
    return result


@pytest.fixture
def files(live: Live, signed: bytes, tmp_path: Path) -> Path:
    (tmp_path / "data.xml").write_bytes(XML)
    (tmp_path / "sig.p7s").write_bytes(signed)
    (tmp_path / "root.pem").write_bytes(live.root.public_bytes(Encoding.PEM))
    return tmp_path


def tampered(data: bytes, at: int) -> bytes:
    changed = bytearray(data)
    changed[at] ^= 0x01
    return bytes(changed)


def test_signature_passes_with_timestamp_chain_and_revocation(live: Live, signed: bytes) -> None:
    report = validate_cades(signed, data=XML, trust_roots=[live.root])
    assert report.indication is Indication.TOTAL_PASSED, report.text()
    only = report.signatures[0]
    assert only.timestamp is not None and len(only.chain) == 3
    assert "PNOLA-" in (only.signer or "") and only.revocation.startswith("good")


def test_signature_is_cades_b_lt(signed: bytes) -> None:
    signed_data = cms.ContentInfo.load(signed)["content"]
    signer_info = signed_data["signer_infos"][0]
    signed_attrs = {attr["type"].native for attr in signer_info["signed_attrs"]}
    unsigned = {attr["type"].native for attr in signer_info["unsigned_attrs"]}
    assert "signing_certificate_v2" in signed_attrs and "message_digest" in signed_attrs
    assert "signature_time_stamp_token" in unsigned
    assert signed_data["encap_content_info"]["content"].native is None  # detached
    kinds = [choice.name for choice in signed_data["crls"]]
    formats = [choice.chosen["other_rev_info_format"].native
               for choice in signed_data["crls"] if choice.name == "other"]
    assert formats == ["ocsp_response", "ocsp_response"]  # the citizen's and the TSA's
    assert "crl" in kinds and signed_data["version"].native == "v5"


def test_a_changed_byte_of_the_data_is_a_hash_failure(live: Live, signed: bytes) -> None:
    report = validate_cades(signed, data=tampered(XML, 60), trust_roots=[live.root])
    assert report.indication is Indication.TOTAL_FAILED
    assert report.signatures[0].sub_indication == "HASH_FAILURE"


def test_a_changed_signature_fails(live: Live, signed: bytes) -> None:
    info = cms.ContentInfo.load(signed)
    signature = info["content"]["signer_infos"][0]["signature"].contents
    at = signed.index(signature) + 20
    report = validate_cades(tampered(signed, at), data=XML, trust_roots=[live.root])
    assert report.indication is Indication.TOTAL_FAILED


@pytest.mark.parametrize("garbage", [b"", b"not a signature", b"%PDF-1.7\n"])
def test_garbage_and_truncation_are_format_failures(
    live: Live, signed: bytes, garbage: bytes
) -> None:
    for candidate in (garbage, signed[:-40]):
        report = validate_cades(candidate, data=XML, trust_roots=[live.root])
        assert report.indication is Indication.TOTAL_FAILED
        assert report.signatures[0].sub_indication == "FORMAT_FAILURE"


def test_an_untrusted_root_finds_no_chain(live: Live, signed: bytes) -> None:
    other = live.pki.certificates["timestamp-authority"]
    report = validate_cades(signed, data=XML, trust_roots=[other])
    assert report.indication is Indication.INDETERMINATE
    assert report.signatures[0].sub_indication == "NO_CERTIFICATE_CHAIN_FOUND"


def test_openssl_accepts_it_and_rejects_a_changed_byte(files: Path) -> None:
    if shutil.which("openssl") is None:
        pytest.skip("openssl not installed")

    def verify(data: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["openssl", "cms", "-verify", "-binary", "-content", str(files / data),
             "-in", str(files / "sig.p7s"), "-inform", "DER", "-CAfile",
             str(files / "root.pem"), "-purpose", "any", "-out", "/dev/null"],
            capture_output=True, text=True, timeout=60, check=False,
        )

    accepted = verify("data.xml")
    assert accepted.returncode == 0 and "Verification successful" in accepted.stderr
    (files / "changed.xml").write_bytes(tampered(XML, 60))
    assert verify("changed.xml").returncode != 0


def test_cli_verifies_a_p7s_with_its_data(files: Path) -> None:
    runner = CliRunner()
    base = ["verify", str(files / "sig.p7s"), "--trust", str(files / "root.pem")]
    passed = runner.invoke(app, [*base, "--data", str(files / "data.xml")])
    assert passed.exit_code == 0 and "TOTAL_PASSED" in passed.output
    (files / "changed.xml").write_bytes(tampered(XML, 60))
    failed = runner.invoke(app, [*base, "--data", str(files / "changed.xml")])
    assert failed.exit_code == 1 and "TOTAL_FAILED / HASH_FAILURE" in failed.output
    without_data = runner.invoke(app, base)
    assert isinstance(without_data.exception, InvalidRequestError)


def test_json_signed_with_the_pki_over_http(live: Live) -> None:
    """A signature creation application outside the deployment: TSA, OCSP, CRL, AIA by URL."""
    data = b'{"reference":"APP-2026-000124","benefit":"child-allowance"}'
    sources = http_sources(tsa_url=live.tsa_url, trust_roots=[live.root])
    try:
        signature = live.with_signer(
            live.citizen(), lambda signer: sign_detached(data, signer=signer, sources=sources)
        )
    finally:
        sources.close()
    report = validate_cades(signature, data=data, trust_roots=[live.root])
    assert report.indication is Indication.TOTAL_PASSED, report.text()
