"""PAdES B-LT signatures (ETSI EN 319 142-1): signature, RFC 3161 timestamp, DSS with OCSP.

Any pyHanko Signer works (the remote CSC signer in production, so the key stays in the
service). Revocation checking is hard-fail and the timestamp is mandatory: if the TSA or an
OCSP responder cannot be reached, signing stops with SignatureCreationError and nothing
weaker is produced.
"""

from __future__ import annotations

from collections.abc import Sequence
from io import BytesIO

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.sign import fields, signers
from pyhanko.sign.general import SigningError
from pyhanko.sign.signers.pdf_signer import PdfSignatureMetadata, PdfSigner
from pyhanko.sign.timestamps.api import TimeStamper
from pyhanko.sign.timestamps.common_utils import TimestampRequestError
from pyhanko.sign.timestamps.requests_client import RequestsHTTPTimeStamper
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.errors import PathBuildingError, PathValidationError

from idp.signing.errors import SignatureCreationError, UnreadableDocumentError

FIELD_NAME = "OneDoorSignature"


def asn1_certificate(certificate: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(certificate.public_bytes(Encoding.DER))


def signing_validation_context(trust_roots: Sequence[x509.Certificate]) -> ValidationContext:
    """Fetch OCSP / CRLs for every certificate; missing revocation information is fatal."""
    return ValidationContext(
        trust_roots=[asn1_certificate(root) for root in trust_roots],
        allow_fetching=True,
        revocation_mode="hard-fail",
    )


def timestamper_for(tsa_url: str, *, timeout: int = 10) -> TimeStamper:
    return RequestsHTTPTimeStamper(tsa_url, timeout=timeout)  # type: ignore[no-untyped-call]


async def sign_pdf(
    pdf: bytes,
    *,
    signer: signers.Signer,
    timestamper: TimeStamper,
    trust_roots: Sequence[x509.Certificate],
    reason: str = "Application signed by the applicant",
    location: str = "Lao PDR",
) -> bytes:
    """``pdf`` with a PAdES B-LT signature appended (incremental update)."""
    context = signing_validation_context(trust_roots)
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
    try:
        writer = IncrementalPdfFileWriter(BytesIO(pdf), strict=False)
    except (PdfError, ValueError, KeyError) as exc:
        raise UnreadableDocumentError("not a PDF that can be signed") from exc
    pdf_signer = PdfSigner(metadata, signer=signer, timestamper=timestamper)
    try:
        output = await pdf_signer.async_sign_pdf(writer, output=BytesIO())
    except TimestampRequestError as exc:
        raise SignatureCreationError(f"time-stamp authority failed: {exc}") from exc
    except (PathBuildingError, PathValidationError) as exc:
        raise SignatureCreationError(f"certificate cannot be validated now: {exc}") from exc
    except SigningError as exc:
        raise SignatureCreationError(f"signing failed: {exc}") from exc
    finally:
        await context.aclose()  # type: ignore[no-untyped-call]
    return bytes(output.getbuffer())
