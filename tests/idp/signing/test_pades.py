"""PAdES B-LT through the remote service, validated; tampering, truncation, untrusted CA, TSA."""

from __future__ import annotations

import shutil
import subprocess
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from pyhanko.pdf_utils.reader import PdfFileReader

from idp.signing.errors import SignatureCreationError
from idp.signing.ltv import http_sources
from idp.signing.pades import sign_pdf
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
        pdf, signer=signer, sources=live.sources))
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
    sources = http_sources(tsa_url="http://127.0.0.1:9/tsa", trust_roots=[live.root], timeout=2)
    with pytest.raises(SignatureCreationError):
        live.with_signer(citizen, lambda signer: sign_pdf(pdf, signer=signer, sources=sources))
    sources.close()


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


def _nss_db(folder: Path, *trusted: x509.Certificate) -> str:
    """An NSS database trusting ``trusted`` as CAs for e-mail and object signing (C,C,C)."""
    folder.mkdir()
    database = f"sql:{folder}"
    subprocess.run(["certutil", "-N", "-d", database, "--empty-password"], check=True,
                   capture_output=True, timeout=60)
    for number, certificate in enumerate(trusted):
        path = folder / f"trusted-{number}.pem"
        path.write_bytes(certificate.public_bytes(Encoding.PEM))
        subprocess.run(["certutil", "-A", "-d", database, "-n", f"trusted-{number}",
                        "-t", "C,C,C", "-i", str(path)], check=True, capture_output=True,
                       timeout=60)
    return database


def _pdfsig_verdict(database: str, pdf: Path) -> tuple[str, str]:
    """pdfsig's signature and certificate lines, offline (no OCSP: the DSS is what counts)."""
    result = subprocess.run(["pdfsig", "-nssdir", database, "-no-ocsp", str(pdf)],
                            capture_output=True, text=True, timeout=60, check=False)
    lines = dict(line.strip(" -").split(": ", 1) for line in result.stdout.splitlines()
                 if "Validation: " in line)
    return lines.get("Signature Validation", ""), lines.get("Certificate Validation", "")


# Poppler 22.x (Debian 12) reads NSS's thread error after CERT_PKIXVerifyCert without looking
# at its result; a successful verification that left SEC_ERROR_EXTENSION_NOT_FOUND behind from
# an optional-extension lookup is then shown as this message. Newer poppler checks the result.
_POPPLER_STALE_ERROR = "Unknown issue with Certificate or corrupted data."


@pytest.mark.skipif(not (shutil.which("pdfsig") and shutil.which("certutil")),
                    reason="poppler-utils / libnss3-tools not installed")
def test_pdfsig_trusts_the_chain_from_the_root(live: Live, signed: bytes, tmp_path: Path) -> None:
    (tmp_path / "signed.pdf").write_bytes(signed)
    database = _nss_db(tmp_path / "nss", live.root)
    signature, certificate = _pdfsig_verdict(database, tmp_path / "signed.pdf")
    assert signature == "Signature is Valid."
    if certificate != _POPPLER_STALE_ERROR:
        assert certificate == "Certificate is Trusted."
        return
    # The same NSS call poppler makes (CERT_PKIXVerifyCert, usage e-mail signer) must succeed.
    reader = PdfFileReader(BytesIO(signed))
    leaf = tmp_path / "signer.der"
    leaf.write_bytes(reader.embedded_signatures[0].signer_cert.dump())
    issuer = tmp_path / "citizen-ca.der"
    issuer.write_bytes(live.pki.certificates["citizen-ca"].public_bytes(Encoding.DER))
    checked = subprocess.run(["vfychain", "-d", database, "-pp", "-u", "4", "-r", str(leaf),
                              "-r", str(issuer)], capture_output=True, text=True, timeout=60,
                             check=False)
    assert checked.returncode == 0 and "Chain is good" in checked.stdout + checked.stderr


@pytest.mark.skipif(not (shutil.which("pdfsig") and shutil.which("certutil")),
                    reason="poppler-utils / libnss3-tools not installed")
def test_pdfsig_does_not_trust_an_unknown_root(signed: bytes, tmp_path: Path) -> None:
    (tmp_path / "signed.pdf").write_bytes(signed)
    database = _nss_db(tmp_path / "nss")
    signature, certificate = _pdfsig_verdict(database, tmp_path / "signed.pdf")
    assert signature == "Signature is Valid."
    assert certificate == "Certificate issuer isn't Trusted."
