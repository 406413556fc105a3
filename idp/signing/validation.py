"""Validate signed PDFs (PAdES, ETSI EN 319 102-1 style results; see :mod:`idp.signing.report`).

The signature is checked once, at its best-signature-time (the RFC 3161 timestamp's genTime,
ETSI EN 319 102-1 section 5.5), with the revocation data embedded in the PDF's DSS (offline) or
fetched now (``online``); the timestamp itself is checked now.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field
from io import BytesIO

from asn1crypto import crl as asn1_crl
from asn1crypto import ocsp as asn1_ocsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import EmbeddedPdfSignature, async_validate_pdf_signature
from pyhanko.sign.validation.errors import SignatureValidationError

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

__all__ = [
    "Indication", "SignatureReport", "ValidationReport", "async_validate_pdf", "validate_pdf",
]


def validate_pdf(
    data: bytes, *, trust_roots: Sequence[x509.Certificate], online: bool = False
) -> ValidationReport:
    """Validate every signature in ``data`` against ``trust_roots`` (see module docstring)."""
    return asyncio.run(async_validate_pdf(data, trust_roots=trust_roots, online=online))


async def async_validate_pdf(
    data: bytes, *, trust_roots: Sequence[x509.Certificate], online: bool = False
) -> ValidationReport:
    """:func:`validate_pdf` inside a running event loop."""
    try:
        reader = PdfFileReader(BytesIO(data), strict=False)
        embedded = list(reader.embedded_regular_signatures)
        dss = _dss(reader)
    except (PdfError, ValueError, KeyError, TypeError, IndexError, OSError) as exc:
        return failed("FORMAT_FAILURE", f"not a readable PDF: {type(exc).__name__}")
    roots = [asn1_certificate(root) for root in trust_roots]
    return ValidationReport(tuple([await _one(sig, roots, dss, online) for sig in embedded]))


@dataclass
class _Dss:
    certs: list[asn1_x509.Certificate] = field(default_factory=list)
    ocsps: list[asn1_ocsp.OCSPResponse] = field(default_factory=list)
    crls: list[asn1_crl.CertificateList] = field(default_factory=list)


def _dss(reader: PdfFileReader) -> _Dss:
    found = _Dss()
    root = reader.root.get("/DSS")
    if root is None:
        return found
    dss = root.get_object()
    for entry in dss.get("/Certs", []):
        found.certs.append(asn1_x509.Certificate.load(entry.get_object().data))
    for entry in dss.get("/OCSPs", []):
        found.ocsps.append(asn1_ocsp.OCSPResponse.load(entry.get_object().data))
    for entry in dss.get("/CRLs", []):
        found.crls.append(asn1_crl.CertificateList.load(entry.get_object().data))
    return found


async def _one(
    sig: EmbeddedPdfSignature, roots: list[asn1_x509.Certificate], dss: _Dss, online: bool
) -> SignatureReport:
    moment = claimed_time(sig.signer_info)
    now_context, at_moment = (
        embedded_context(roots=roots, certs=dss.certs, ocsps=dss.ocsps, crls=dss.crls,
                         online=online, moment=when)
        for when in (None, moment)
    )
    try:
        status = await async_validate_pdf_signature(
            sig, at_moment, ts_validation_context=now_context
        )
    except (SignatureValidationError, PdfError, ValueError, KeyError, TypeError) as exc:
        return SignatureReport(Indication.TOTAL_FAILED, "FORMAT_FAILURE",
                               detail=f"{type(exc).__name__}")
    finally:
        for context in (now_context, at_moment):
            await context.aclose()  # type: ignore[no-untyped-call]
    return report_of(status, moment)
