"""Validation results in the shape of ETSI EN 319 102-1 section 5.1.3: indication, sub-indication.

Every failure is a result, never an exception: a truncated or altered file gives TOTAL_FAILED.
The same types describe PAdES and CAdES signatures.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from asn1crypto import cms
from asn1crypto import crl as asn1_crl
from asn1crypto import ocsp as asn1_ocsp
from asn1crypto import x509 as asn1_x509
from pyhanko.sign.ades.report import AdESFailure, AdESIndeterminate, AdESSubIndic
from pyhanko.sign.validation.status import StandardCMSSignatureStatus
from pyhanko_certvalidator import ValidationContext


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


def failed(sub: str, detail: str) -> ValidationReport:
    return ValidationReport((SignatureReport(Indication.TOTAL_FAILED, sub, detail=detail),))


def embedded_context(
    *,
    roots: Sequence[asn1_x509.Certificate],
    certs: Sequence[asn1_x509.Certificate],
    ocsps: Sequence[asn1_ocsp.OCSPResponse],
    crls: Sequence[asn1_crl.CertificateList],
    online: bool,
    moment: datetime | None,
) -> ValidationContext:
    """Hard-fail revocation with the embedded data, at ``moment`` (None: now)."""
    return ValidationContext(
        trust_roots=list(roots),
        other_certs=list(certs),
        ocsps=list(ocsps),
        crls=list(crls),
        allow_fetching=online,
        revocation_mode="hard-fail",
        retroactive_revinfo=True,
        moment=moment,
    )


def claimed_time(signer_info: cms.SignerInfo) -> datetime | None:
    """genTime of the signature timestamp token, not yet verified (ETSI EN 319 122-1 5.3)."""
    try:
        for attribute in signer_info["unsigned_attrs"] or ():
            if attribute["type"].native == "signature_time_stamp_token":
                token = attribute["values"][0]["content"]
                info = token["encap_content_info"]["content"].parsed
                moment: datetime = info["gen_time"].native
                return moment
    except (ValueError, KeyError, TypeError, IndexError, AttributeError):
        return None
    return None


def report_of(
    status: StandardCMSSignatureStatus, moment: datetime | None, *, pdf_checks: bool = True
) -> SignatureReport:
    """The ETSI result of a pyHanko status validated at ``moment`` (the timestamp's genTime)."""
    signer = status.signing_cert.subject.human_friendly
    chain = tuple(cert.subject.human_friendly for cert in (status.validation_path or ()))
    details = status.revocation_details
    revocation = (
        f"REVOKED at {details.revocation_date.isoformat()}" if details else
        ("good (checked at the signing time)" if status.trusted else "unknown")
    )
    token = status.timestamp_validity
    proven = (
        token is not None and token.intact and token.valid and moment is not None
        and token.timestamp == moment
    )
    base = {"signer": signer, "timestamp": moment if proven else None, "chain": chain,
            "revocation": revocation}
    if not status.intact:
        return SignatureReport(Indication.TOTAL_FAILED, "HASH_FAILURE", **base)
    if not status.valid:
        return SignatureReport(Indication.TOTAL_FAILED, "SIG_CRYPTO_FAILURE", **base)
    if pdf_checks and not _pdf_ok(status):
        return SignatureReport(Indication.TOTAL_FAILED, "FORMAT_FAILURE", **base)
    if not proven:
        return SignatureReport(
            Indication.INDETERMINATE, AdESIndeterminate.NO_POE.name,
            detail="no valid signature timestamp", **base,
        )
    problem: AdESSubIndic | None = status.trust_problem_indic
    if problem is not None or status.validation_path is None:
        name = str(getattr(problem, "name", "NO_CERTIFICATE_CHAIN_FOUND"))
        kind = Indication.TOTAL_FAILED if isinstance(problem, AdESFailure) else (
            Indication.INDETERMINATE
        )
        return SignatureReport(kind, name, **base)
    return SignatureReport(Indication.TOTAL_PASSED, None, **base)


def _pdf_ok(status: StandardCMSSignatureStatus) -> bool:
    coverage = getattr(status, "coverage", None)
    level = getattr(status, "modification_level", None)
    return coverage is not None and level is not None and bool(getattr(status, "docmdp_ok", False))
