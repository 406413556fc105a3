"""PAdES B-LT signatures (ETSI EN 319 142-1): signature, RFC 3161 timestamp, DSS with OCSP.

Any pyHanko Signer works (the remote CSC signer in production, so the key stays in the
service). Revocation data is gathered once per signature from ``LongTermSources`` and checked
hard-fail; the timestamp is mandatory: if the TSA or an OCSP responder cannot be reached, or a
certificate is revoked, signing stops with SignatureCreationError and nothing weaker is produced.
"""

from __future__ import annotations

import logging
from io import BytesIO

from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.sign import fields, signers
from pyhanko.sign.general import SigningError
from pyhanko.sign.signers.pdf_signer import PdfSignatureMetadata, PdfSigner
from pyhanko.sign.timestamps.common_utils import TimestampRequestError
from pyhanko_certvalidator.errors import PathBuildingError, PathValidationError

from idp.signing.errors import SignatureCreationError, UnreadableDocumentError
from idp.signing.ltv import Evidence, LongTermSources, crypto_certificate

FIELD_NAME = "OneDoorSignature"
# Room for the CMS (signature, 3 + 2 certificates, timestamp token: about 8 KiB). A fixed size
# spares pyHanko a dry-run signature to estimate it; an overflow fails, never truncates.
SIGNATURE_BYTES = 16 * 1024


class _NoFetchNotice(logging.Filter):
    """Drop pyHanko's notice that fetching is off: the evidence is gathered beforehand."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "fetching is not allowed" not in record.getMessage()


logging.getLogger("pyhanko.sign.signers.pdf_signer").addFilter(_NoFetchNotice())


async def gather_evidence(signer: signers.Signer, sources: LongTermSources) -> Evidence:
    """Chains and fresh revocation data for the signer's and the TSA's certificates."""
    if signer.signing_cert is None:
        raise SignatureCreationError("the signer has no certificate")
    extra = [crypto_certificate(cert) for cert in signer.cert_registry]
    return await sources.evidence(crypto_certificate(signer.signing_cert), extra)


async def sign_pdf(
    pdf: bytes,
    *,
    signer: signers.Signer,
    sources: LongTermSources,
    reason: str = "Application signed by the applicant",
    location: str = "Lao PDR",
) -> bytes:
    """``pdf`` with a PAdES B-LT signature appended (incremental update)."""
    try:
        writer = IncrementalPdfFileWriter(BytesIO(pdf), strict=False)
    except (PdfError, ValueError, KeyError) as exc:
        raise UnreadableDocumentError("not a PDF that can be signed") from exc
    evidence = await gather_evidence(signer, sources)
    context = evidence.validation_context(sources.trust_roots)
    metadata = PdfSignatureMetadata(
        field_name=FIELD_NAME,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        embed_validation_info=True,
        use_pades_lta=False,
        validation_context=context,
        reason=reason,
        location=location,
    )
    pdf_signer = PdfSigner(metadata, signer=signer, timestamper=sources.timestamper)
    try:
        output = await pdf_signer.async_sign_pdf(
            writer, output=BytesIO(), bytes_reserved=SIGNATURE_BYTES
        )
    except TimestampRequestError as exc:
        raise SignatureCreationError(f"time-stamp authority failed: {exc}") from exc
    except (PathBuildingError, PathValidationError) as exc:
        raise SignatureCreationError(f"certificate cannot be validated now: {exc}") from exc
    except SigningError as exc:
        raise SignatureCreationError(f"signing failed: {exc}") from exc
    finally:
        await context.aclose()  # type: ignore[no-untyped-call]
    return bytes(output.getbuffer())
