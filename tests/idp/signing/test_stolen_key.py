"""A key used after its certificate was revoked (a stolen key) gives no valid signature."""

from __future__ import annotations

import asyncio
import hashlib
from datetime import datetime

import pytest
from asn1crypto import algos
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from pyhanko.sign import signers
from pyhanko_certvalidator.registry import SimpleCertificateStore

from idp.signing.cades import sign_detached
from idp.signing.cades_validation import validate_cades
from idp.signing.custody import SigningKeyCustody
from idp.signing.errors import SignatureCreationError
from idp.signing.ltv import asn1_certificate
from idp.signing.models import SigningCredential
from idp.signing.validation import Indication
from onedoor.db import transaction
from tests.idp.signing.conftest import Live

pytestmark = [
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
    pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"),
]

DATA = b'{"reference":"APP-2026-000777","benefit":"child-allowance"}'


class StolenKeySigner(signers.Signer):
    """Signs with a copy of the sealed key, straight through custody: no SAD, no status check."""

    def __init__(self, custody: SigningKeyCustody, key_id: str, reference: bytes,
                 certificate: asn1_x509.Certificate, chain: list[asn1_x509.Certificate]) -> None:
        super().__init__(
            signing_cert=certificate,
            cert_registry=SimpleCertificateStore.from_certs(chain),  # type: ignore[no-untyped-call]
            signature_mechanism=algos.SignedDigestAlgorithm({"algorithm": "sha256_ecdsa"}),
        )
        self.custody, self.key_id, self.reference = custody, key_id, reference

    async def async_sign_raw(self, data: bytes, digest_algorithm: str,
                             dry_run: bool = False) -> bytes:
        return self.custody.sign_digest(
            key_id=self.key_id, reference=self.reference, digest=hashlib.sha256(data).digest()
        )


@pytest.fixture(scope="module")
def stolen(live: Live) -> StolenKeySigner:
    """The thief copies the sealed key; the citizen reports it; the certificate is revoked."""
    citizen = live.citizen()
    with transaction(live.runtime.sessions) as session:
        credential = session.get(SigningCredential, citizen.credential_id)
        assert credential is not None and credential.key_reference is not None
        reference, pem = credential.key_reference, credential.certificate_pem
    revoked = live.post(citizen, "/signing/credentials/revoke",
                        {"credentialID": citizen.credential_id})
    assert revoked.json()["status"] == "revoked"
    certificate = asn1_certificate(x509.load_pem_x509_certificate(pem.encode()))
    chain = [asn1_certificate(live.pki.certificates["citizen-ca"])]
    return StolenKeySigner(live.context.custody, citizen.credential_id, reference,
                           certificate, chain)


def test_signature_timestamped_after_revocation_is_revoked_no_poe(
    live: Live, stolen: StolenKeySigner
) -> None:
    signed = asyncio.run(stolen.async_sign_general_data(
        DATA, "sha256", detached=True, use_cades=True, timestamper=live.sources.timestamper,
    ))
    report = validate_cades(signed.dump(), data=DATA, trust_roots=[live.root], online=True)
    assert report.indication is Indication.INDETERMINATE, report.text()
    only = report.signatures[0]
    assert only.sub_indication == "REVOKED_NO_POE"
    assert only.timestamp is not None and only.revocation.startswith("REVOKED at ")
    revoked_at = datetime.fromisoformat(only.revocation.removeprefix("REVOKED at "))
    assert revoked_at <= only.timestamp  # the timestamp proves the signature came after


def test_no_long_term_signature_is_made_for_a_revoked_certificate(
    live: Live, stolen: StolenKeySigner
) -> None:
    with pytest.raises(SignatureCreationError, match="revoked"):
        asyncio.run(sign_detached(DATA, signer=stolen, sources=live.sources))
