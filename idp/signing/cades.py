"""Detached CAdES B-LT signatures (ETSI EN 319 122-1) over structured data (XML, JSON).

The CMS SignedData carries signingCertificateV2 (RFC 5035), a signature timestamp from
OneDoor's TSA (id-aa-signatureTimeStampToken, RFC 3161 appendix A), the certificates of the
signer's and the TSA's chains, and their revocation data in ``SignedData.crls``: OCSP responses
as OtherRevocationInfoFormat id-ri-ocsp-response (RFC 5940 section 2.1), CRLs as themselves.
Any pyHanko Signer works; with the CSC signer the key never leaves the service.
"""

from __future__ import annotations

from asn1crypto import cms
from asn1crypto import crl as asn1_crl
from asn1crypto import ocsp as asn1_ocsp
from pyhanko.sign import signers
from pyhanko.sign.general import SigningError
from pyhanko.sign.timestamps.common_utils import TimestampRequestError

from idp.signing.errors import SignatureCreationError
from idp.signing.ltv import Evidence, LongTermSources, asn1_certificate
from idp.signing.pades import gather_evidence

MAX_DATA_BYTES = 64 * 1024 * 1024


async def sign_detached(
    data: bytes, *, signer: signers.Signer, sources: LongTermSources
) -> bytes:
    """The DER ContentInfo of a detached CAdES B-LT signature over ``data`` (a .p7s file)."""
    if len(data) > MAX_DATA_BYTES:
        raise SignatureCreationError("the data to sign is too large")
    evidence = await gather_evidence(signer, sources)
    try:
        signed = await signer.async_sign_general_data(
            data, "sha256", detached=True, use_cades=True, timestamper=sources.timestamper
        )
    except TimestampRequestError as exc:
        raise SignatureCreationError(f"time-stamp authority failed: {exc}") from exc
    except SigningError as exc:
        raise SignatureCreationError(f"signing failed: {exc}") from exc
    signed_data = signed["content"]
    add_validation_data(signed_data, evidence)
    # A new envelope: dump() re-encodes only what changed, never the signed attributes.
    der: bytes = cms.ContentInfo({"content_type": "signed_data", "content": signed_data}).dump()
    return der


def add_validation_data(signed_data: cms.SignedData, evidence: Evidence) -> None:
    """Certificates and revocation data into the unsigned parts of ``signed_data`` (B-LT)."""
    present = {choice.chosen.dump() for choice in signed_data["certificates"] or ()}
    certificates = list(signed_data["certificates"] or ())
    for certificate in evidence.certificates:
        der = asn1_certificate(certificate)
        if der.dump() not in present:
            certificates.append(cms.CertificateChoices({"certificate": der}))
            present.add(der.dump())
    choices = [
        cms.RevocationInfoChoice({"other": cms.OtherRevocationInfoFormat({
            "other_rev_info_format": "ocsp_response",
            "other_rev_info": asn1_ocsp.OCSPResponse.load(der),
        })})
        for der in evidence.revocation.ocsps
    ]
    choices += [
        cms.RevocationInfoChoice({"crl": asn1_crl.CertificateList.load(der)})
        for der in evidence.revocation.crls
    ]
    signed_data["certificates"] = certificates
    signed_data["crls"] = choices
    # RFC 5652 section 5.1: "other" revocation info requires SignedData version 5.
    signed_data["version"] = "v5"
