"""Validate signed PDFs: an ETSI EN 319 102-1 style result and a readable report.

The signature is checked at its best-signature-time (the RFC 3161 timestamp's genTime) with
the revocation data embedded in the PDF's DSS (offline) or fetched now (``online``). Every
failure is a result, never an exception: a truncated or altered file gives TOTAL_FAILED.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from io import BytesIO

from asn1crypto import crl as asn1_crl
from asn1crypto import ocsp as asn1_ocsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.ades.report import AdESFailure, AdESIndeterminate, AdESSubIndic
from pyhanko.sign.validation import EmbeddedPdfSignature, async_validate_pdf_signature
from pyhanko.sign.validation.errors import SignatureValidationError
from pyhanko.sign.validation.status import PdfSignatureStatus
from pyhanko_certvalidator import ValidationContext

from idp.signing.pades import asn1_certificate


class Indication(StrEnum):
    TOTAL_PASSED = "TOTAL_PASSED"
    TOTAL_FAILED = "TOTAL_FAILED"
    INDETERMINATE = "INDETERMINATE"


@dataclass(frozen=True)
class SignatureReport:
    """One signature: ETSI indication and sub-indication, who, when, chain, revocation."""

    indication: Indication
    sub_indication: str | None
    signer: str | None = None
    timestamp: datetime | None = None
    chain: tuple[str, ...] = ()
    revocation: str = "unknown"
    detail: str = ""

    def lines(self) -> list[str]:
        head = self.indication.value + (f" / {self.sub_indication}" if self.sub_indication else "")
        lines = [f"result:     {head}"]
        if self.signer:
            lines.append(f"signed by:  {self.signer}")
        if self.timestamp:
            lines.append(f"timestamp:  {self.timestamp.isoformat()}")
        lines += [f"chain:      {name}" for name in self.chain]
        lines.append(f"revocation: {self.revocation}")
        if self.detail:
            lines.append(f"detail:     {self.detail}")
        return lines


@dataclass(frozen=True)
class ValidationReport:
    """Every signature of a document; the document passes only if all of them do."""

    signatures: tuple[SignatureReport, ...] = field(default_factory=tuple)

    @property
    def indication(self) -> Indication:
        if not self.signatures:
            return Indication.TOTAL_FAILED
        for kind in (Indication.TOTAL_FAILED, Indication.INDETERMINATE):
            if any(report.indication is kind for report in self.signatures):
                return kind
        return Indication.TOTAL_PASSED

    def text(self) -> str:
        lines = [f"document:   {self.indication.value}"]
        if not self.signatures:
            lines.append("no signature found (FORMAT_FAILURE)")
        for number, report in enumerate(self.signatures, 1):
            lines.append(f"-- signature {number}")
            lines += report.lines()
        return "\n".join(lines)


def _failed(sub: str, detail: str) -> ValidationReport:
    return ValidationReport((SignatureReport(Indication.TOTAL_FAILED, sub, detail=detail),))


def validate_pdf(
    data: bytes, *, trust_roots: Sequence[x509.Certificate], online: bool = False
) -> ValidationReport:
    """Validate every signature in ``data`` against ``trust_roots`` (see module docstring)."""
    try:
        reader = PdfFileReader(BytesIO(data), strict=False)
        embedded = list(reader.embedded_regular_signatures)
        dss = _dss(reader)
    except (PdfError, ValueError, KeyError, TypeError, IndexError, OSError) as exc:
        return _failed("FORMAT_FAILURE", f"not a readable PDF: {type(exc).__name__}")
    if not embedded:
        return ValidationReport(())
    roots = [asn1_certificate(root) for root in trust_roots]
    reports = [asyncio.run(_one(sig, roots, dss, online)) for sig in embedded]
    return ValidationReport(tuple(reports))


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


def _context(
    roots: list[asn1_x509.Certificate], dss: _Dss, online: bool, moment: datetime | None
) -> ValidationContext:
    return ValidationContext(
        trust_roots=roots,
        other_certs=dss.certs,
        ocsps=dss.ocsps,
        crls=dss.crls,
        allow_fetching=online,
        revocation_mode="hard-fail",
        retroactive_revinfo=True,
        moment=moment,
    )


async def _one(
    sig: EmbeddedPdfSignature, roots: list[asn1_x509.Certificate], dss: _Dss, online: bool
) -> SignatureReport:
    now_context = _context(roots, dss, online, None)
    contexts = [now_context]
    try:
        first = await async_validate_pdf_signature(sig, now_context)
        moment = _timestamp(first)
        status = first
        if moment is not None:
            # ETSI EN 319 102-1 5.5: validate at the best-signature-time the timestamp proves.
            at_moment = _context(roots, dss, online, moment)
            contexts.append(at_moment)
            status = await async_validate_pdf_signature(
                sig, at_moment, ts_validation_context=now_context
            )
    except (SignatureValidationError, PdfError, ValueError, KeyError, TypeError) as exc:
        return SignatureReport(Indication.TOTAL_FAILED, "FORMAT_FAILURE",
                               detail=f"{type(exc).__name__}")
    finally:
        for context in contexts:
            await context.aclose()  # type: ignore[no-untyped-call]
    return _report(status, moment)


def _timestamp(status: PdfSignatureStatus) -> datetime | None:
    token = status.timestamp_validity
    if token is None or not (token.intact and token.valid):
        return None
    return token.timestamp


def _report(status: PdfSignatureStatus, moment: datetime | None) -> SignatureReport:
    signer = status.signing_cert.subject.human_friendly
    chain = tuple(
        cert.subject.human_friendly for cert in (status.validation_path or ())
    )
    details = status.revocation_details
    revocation = (
        f"REVOKED at {details.revocation_date.isoformat()}" if details else
        ("good (checked at the signing time)" if status.trusted else "unknown")
    )
    base = {"signer": signer, "timestamp": moment, "chain": chain, "revocation": revocation}
    if not status.intact:
        return SignatureReport(Indication.TOTAL_FAILED, "HASH_FAILURE", **base)
    if not status.valid:
        return SignatureReport(Indication.TOTAL_FAILED, "SIG_CRYPTO_FAILURE", **base)
    if status.coverage is None or status.modification_level is None or not status.docmdp_ok:
        return SignatureReport(Indication.TOTAL_FAILED, "FORMAT_FAILURE", **base)
    problem: AdESSubIndic | None = status.trust_problem_indic
    if problem is not None or status.validation_path is None:
        name = str(getattr(problem, "name", "NO_CERTIFICATE_CHAIN_FOUND"))
        kind = Indication.TOTAL_FAILED if isinstance(problem, AdESFailure) else (
            Indication.INDETERMINATE
        )
        return SignatureReport(kind, name, **base)
    if moment is None:
        return SignatureReport(
            Indication.INDETERMINATE, AdESIndeterminate.NO_POE.name,
            detail="no valid signature timestamp", **base,
        )
    return SignatureReport(Indication.TOTAL_PASSED, None, **base)
