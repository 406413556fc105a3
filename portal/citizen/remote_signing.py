"""PAdES B-LT in two steps, so the citizen sees the verification code before typing the OTP.

Step one (:func:`prepare_signature`) lays out the signed PDF, computes the hash the key must
sign (the CMS signed attributes, ETSI EN 319 122-1 5.1) and its verification code
(:mod:`idp.signing.vcode`). Step two (:func:`finish_signature`) puts the remote signature
value, an RFC 3161 timestamp and the DSS with OCSP responses in place (pyHanko's interrupted
signing). Between the steps the prepared signature lives in :class:`PendingSignatures`, in this
process's memory only, for at most five minutes (the SAD lifetime).
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from io import BytesIO

from asn1crypto import algos, cms
from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.sign import fields
from pyhanko.sign.general import SigningError
from pyhanko.sign.signers.pdf_byterange import PreparedByteRangeDigest
from pyhanko.sign.signers.pdf_cms import ExternalSigner
from pyhanko.sign.signers.pdf_signer import (
    PdfSignatureMetadata,
    PdfSigner,
    PdfTBSDocument,
    PostSignInstructions,
)
from pyhanko.sign.timestamps.common_utils import TimestampRequestError
from pyhanko_certvalidator.errors import PathBuildingError, PathValidationError
from pyhanko_certvalidator.registry import SimpleCertificateStore

from idp.signing.errors import SignatureCreationError, UnreadableDocumentError
from idp.signing.ltv import Evidence, LongTermSources
from idp.signing.pades import FIELD_NAME, SIGNATURE_BYTES, gather_evidence
from idp.signing.vcode import verification_code

PENDING_LIFETIME = 300.0
MAX_PENDING = 1000
REASON = "Application signed by the applicant"


@dataclass(frozen=True)
class PreparedSignature:
    """Everything step two needs; ``digest`` is what the citizen's key signs."""

    credential_id: str
    digest: bytes
    verification_code: str
    prepared: PreparedByteRangeDigest
    signed_attrs: cms.CMSAttributes
    instructions: PostSignInstructions | None
    output: bytes = field(repr=False)
    evidence: Evidence = field(repr=False)
    certificates: tuple[asn1_x509.Certificate, ...] = field(repr=False)


def _signer(
    certificates: Sequence[asn1_x509.Certificate], value: bytes | None = None
) -> ExternalSigner:
    registry = SimpleCertificateStore()  # type: ignore[no-untyped-call]
    for certificate in certificates:
        registry.register(certificate)
    return ExternalSigner(
        signing_cert=certificates[0],
        cert_registry=registry,
        signature_value=value,
        signature_mechanism=algos.SignedDigestAlgorithm({"algorithm": "sha256_ecdsa"}),
    )


def _translate(exc: Exception) -> SignatureCreationError:
    if isinstance(exc, TimestampRequestError):
        return SignatureCreationError(f"time-stamp authority failed: {exc}")
    if isinstance(exc, PathBuildingError | PathValidationError):
        return SignatureCreationError(f"certificate cannot be validated now: {exc}")
    return SignatureCreationError(f"signing failed: {exc}")


async def prepare_signature(
    pdf: bytes, *, credential_id: str, certificates: Sequence[asn1_x509.Certificate],
    sources: LongTermSources,
) -> PreparedSignature:
    """Step one: the hash to sign and its code; nothing is signed yet."""
    try:
        writer = IncrementalPdfFileWriter(BytesIO(pdf), strict=False)
    except (PdfError, ValueError, KeyError) as exc:
        raise UnreadableDocumentError("not a PDF that can be signed") from exc
    signer = _signer(certificates)
    evidence = await gather_evidence(signer, sources)
    context = evidence.validation_context(sources.trust_roots)
    metadata = PdfSignatureMetadata(
        field_name=FIELD_NAME, md_algorithm="sha256", subfilter=fields.SigSeedSubFilter.PADES,
        embed_validation_info=True, use_pades_lta=False, validation_context=context,
        reason=REASON, location="Lao PDR",
    )
    pdf_signer = PdfSigner(metadata, signer=signer, timestamper=sources.timestamper)
    try:
        prepared, tbs, output = await pdf_signer.async_digest_doc_for_signing(
            writer, bytes_reserved=SIGNATURE_BYTES
        )
        attrs = await signer.signed_attrs(prepared.document_digest, "sha256", use_pades=True)
    except (TimestampRequestError, PathBuildingError, PathValidationError, SigningError) as exc:
        raise _translate(exc) from exc
    finally:
        await context.aclose()  # type: ignore[no-untyped-call]
    digest = hashlib.sha256(attrs.dump()).digest()
    output.seek(0)
    return PreparedSignature(
        credential_id=credential_id, digest=digest, verification_code=verification_code([digest]),
        prepared=prepared, signed_attrs=attrs, instructions=tbs.post_sign_instructions,
        output=output.read(), evidence=evidence, certificates=tuple(certificates),
    )


async def finish_signature(
    prepared: PreparedSignature, *, signature_value: bytes, sources: LongTermSources
) -> bytes:
    """Step two: the signed PDF with timestamp and validation data (PAdES B-LT)."""
    signer = _signer(prepared.certificates, signature_value)
    context = prepared.evidence.validation_context(sources.trust_roots)
    output = BytesIO(prepared.output)
    try:
        signature = await signer.async_sign_prescribed_attributes(
            "sha256", signed_attrs=prepared.signed_attrs, timestamper=sources.timestamper
        )
        await PdfTBSDocument.async_finish_signing(
            output, prepared_digest=prepared.prepared, signature_cms=signature,
            post_sign_instr=prepared.instructions, validation_context=context,
        )
    except (TimestampRequestError, PathBuildingError, PathValidationError, SigningError) as exc:
        raise _translate(exc) from exc
    finally:
        await context.aclose()  # type: ignore[no-untyped-call]
    return output.getvalue()


class PendingSignatures:
    """Prepared signatures by (session, document), forgotten after five minutes."""

    def __init__(
        self, *, lifetime: float = PENDING_LIFETIME, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._items: OrderedDict[tuple[str, str], tuple[float, PreparedSignature]] = OrderedDict()
        self._lock = threading.Lock()
        self._lifetime = lifetime
        self._clock = clock

    def put(self, key: tuple[str, str], prepared: PreparedSignature) -> None:
        with self._lock:
            self._items.pop(key, None)
            self._items[key] = (self._clock() + self._lifetime, prepared)
            while len(self._items) > MAX_PENDING:
                self._items.popitem(last=False)

    def get(self, key: tuple[str, str]) -> PreparedSignature | None:
        with self._lock:
            found = self._items.get(key)
            if found is None or found[0] < self._clock():
                self._items.pop(key, None)
                return None
            return found[1]

    def discard(self, key: tuple[str, str]) -> None:
        with self._lock:
            self._items.pop(key, None)
