"""PAdES B-LT through the remote service, validated; tampering, truncation, untrusted CA, TSA."""

from __future__ import annotations

import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.serialization import Encoding

from idp.signing.errors import SignatureCreationError
from idp.signing.pades import sign_pdf, timestamper_for
from idp.signing.render import render_application, sample_application
from idp.signing.validation import Indication, validate_pdf
from tests.idp.signing.conftest import Live

pytestmark = [
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
    pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"),
]


@pytest.fixture(scope="module")
def signed(live: Live) -> bytes:
    citizen = live.citizen()
    pdf = render_application(sample_application(datetime.now(UTC)))
    result: bytes = live.with_signer(citizen, lambda signer: sign_pdf(
        pdf, signer=signer, timestamper=timestamper_for(live.tsa_url), trust_roots=[live.root]))
    return result


def test_signed_pdf_passes_offline_with_timestamp_and_chain(live: Live, signed: bytes) -> None:
    report = validate_pdf(signed, trust_roots=[live.root])
    assert report.indication is Indication.TOTAL_PASSED, report.text()
    only = report.signatures[0]
    assert "PNOLA-" in (only.signer or "") and only.timestamp is not None
    assert len(only.chain) == 3
    assert "OneDoor Citizen CA" in report.text()


def test_a_changed_byte_is_a_hash_failure(live: Live, signed: bytes) -> None:
    tampered = bytearray(signed)
    tampered[3000] ^= 0x01
    report = validate_pdf(bytes(tampered), trust_roots=[live.root])
    assert report.indication is Indication.TOTAL_FAILED
    assert report.signatures[0].sub_indication == "HASH_FAILURE"


def test_a_truncated_pdf_fails(live: Live, signed: bytes) -> None:
    report = validate_pdf(signed[:-500], trust_roots=[live.root])
    assert report.indication is Indication.TOTAL_FAILED


def test_an_untrusted_root_finds_no_chain(live: Live, signed: bytes) -> None:
    other = live.pki.certificates["timestamp-authority"]
    report = validate_pdf(signed, trust_roots=[other])
    assert report.indication is Indication.INDETERMINATE
    assert report.signatures[0].sub_indication == "NO_CERTIFICATE_CHAIN_FOUND"


def test_tsa_unreachable_means_no_signature(live: Live) -> None:
    citizen = live.citizen()
    pdf = render_application(sample_application(datetime.now(UTC)))
    with pytest.raises(SignatureCreationError):
        live.with_signer(citizen, lambda signer: sign_pdf(
            pdf, signer=signer, timestamper=timestamper_for("http://127.0.0.1:9/tsa", timeout=2),
            trust_roots=[live.root]))


def test_pyhanko_cli_validates_the_signature(live: Live, signed: bytes, tmp_path: Path) -> None:
    cli = Path(".venv/bin/pyhanko")
    if not cli.exists():
        pytest.skip("pyhanko-cli not installed")
    (tmp_path / "root.pem").write_bytes(live.root.public_bytes(Encoding.PEM))
    (tmp_path / "signed.pdf").write_bytes(signed)
    result = subprocess.run(
        [str(cli), "sign", "validate", "--trust-replace", "--trust", str(tmp_path / "root.pem"),
         str(tmp_path / "signed.pdf")], capture_output=True, text=True, timeout=60, check=False)
    assert "INTACT:TRUSTED" in result.stdout, result.stdout + result.stderr


def test_pdfsig_finds_the_signature_valid(signed: bytes, tmp_path: Path) -> None:
    if shutil.which("pdfsig") is None:
        pytest.skip("poppler-utils not installed")
    (tmp_path / "signed.pdf").write_bytes(signed)
    result = subprocess.run(["pdfsig", "-nocert", str(tmp_path / "signed.pdf")],
                            capture_output=True, text=True, timeout=60, check=False)
    assert "Signature is Valid." in result.stdout, result.stdout
