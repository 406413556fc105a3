"""Validate a detached CAdES signature (.p7s) over its data (ETSI EN 319 102-1 style result).

Checked once, at the signature timestamp's genTime, with the certificates and revocation data
the SignedData carries (RFC 5940 OCSP responses, CRLs) or fetched now (``online``). A file
that is not a detached CMS SignedData is TOTAL_FAILED / FORMAT_FAILURE, never an exception.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from asn1crypto import cms
from asn1crypto import crl as asn1_crl
from asn1crypto import ocsp as asn1_ocsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from pyhanko.sign.general import MultivaluedAttributeError, NonexistentAttributeError
from pyhanko.sign.validation.errors import SignatureValidationError
from pyhanko.sign.validation.generic_cms import async_validate_detached_cms

from idp.signing.ltv import asn1_certificate
from idp.signing.report import (
    Indication,
    SignatureReport,
    ValidationReport,
    claimed_time,
    embedded_context,
    failed,
    report_of,
)

MAX_SIGNATURE_BYTES = 4 * 1024 * 1024


def validate_cades(
    signature: bytes,
    *,
    data: bytes,
    trust_roots: Sequence[x509.Certificate],
    online: bool = False,
) -> ValidationReport:
    """Validate the detached CAdES ``signature`` over ``data`` against ``trust_roots``."""
    return asyncio.run(
        async_validate_cades(signature, data=data, trust_roots=trust_roots, online=online)
    )


async def async_validate_cades(
    signature: bytes,
    *,
    data: bytes,
    trust_roots: Sequence[x509.Certificate],
    online: bool = False,
) -> ValidationReport:
    """:func:`validate_cades` inside a running event loop."""
    try:
        if len(signature) > MAX_SIGNATURE_BYTES:
            raise ValueError("oversized")
        info = cms.ContentInfo.load(signature, strict=True)
        if info["content_type"].native != "signed_data":
            raise ValueError("not SignedData")
        signed_data: cms.SignedData = info["content"]
        signer_infos = list(signed_data["signer_infos"])
        detached = signed_data["encap_content_info"]["content"].native is None
        certs, ocsps, crls = _embedded(signed_data)
    except (ValueError, KeyError, TypeError, IndexError) as exc:
        return failed("FORMAT_FAILURE", f"not a CMS signature: {type(exc).__name__}")
    if len(signer_infos) != 1 or not detached:
        return failed("FORMAT_FAILURE", "expected one detached CMS signature")
    roots = [asn1_certificate(root) for root in trust_roots]
    report = await _one(data, signed_data, signer_infos[0], roots, certs, ocsps, crls, online)
    return ValidationReport((report,))


def _embedded(
    signed_data: cms.SignedData,
) -> tuple[list[asn1_x509.Certificate], list[asn1_ocsp.OCSPResponse],
           list[asn1_crl.CertificateList]]:
    certs = [choice.chosen for choice in signed_data["certificates"] or ()
             if choice.name == "certificate"]
    ocsps: list[asn1_ocsp.OCSPResponse] = []
    crls: list[asn1_crl.CertificateList] = []
    for choice in signed_data["crls"] or ():
        if choice.name == "crl":
            crls.append(choice.chosen)
        elif choice.chosen["other_rev_info_format"].native == "ocsp_response":
            ocsps.append(choice.chosen["other_rev_info"])
    for value in (*certs, *ocsps, *crls):
        value.native  # noqa: B018 - parse now: a malformed entry is a format failure
    return certs, ocsps, crls


async def _one(
    data: bytes,
    signed_data: cms.SignedData,
    signer_info: cms.SignerInfo,
    roots: list[asn1_x509.Certificate],
    certs: list[asn1_x509.Certificate],
    ocsps: list[asn1_ocsp.OCSPResponse],
    crls: list[asn1_crl.CertificateList],
    online: bool,
) -> SignatureReport:
    moment = claimed_time(signer_info)
    now_context, at_moment = (
        embedded_context(roots=roots, certs=certs, ocsps=ocsps, crls=crls, online=online,
                         moment=when)
        for when in (None, moment)
    )
    try:
        status = await async_validate_detached_cms(
            data, signed_data, signer_validation_context=at_moment,
            ts_validation_context=now_context,
        )
    except (SignatureValidationError, NonexistentAttributeError, MultivaluedAttributeError,
            ValueError, KeyError, TypeError) as exc:
        return SignatureReport(Indication.TOTAL_FAILED, "FORMAT_FAILURE",
                               detail=type(exc).__name__)
    finally:
        for context in (now_context, at_moment):
            await context.aclose()  # type: ignore[no-untyped-call]
    return report_of(status, moment, pdf_checks=False)
