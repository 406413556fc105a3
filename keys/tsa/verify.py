"""Check a TimeStampToken answers our question and is signed by the TSA (RFC 3161 section 2.4.2).

This is what a signer checks before embedding a token; full validation of the TSA certificate's
chain and revocation belongs to the relying party (or the signature validator).
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime

from asn1crypto import cms, tsp
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID

from keys.tsa.errors import InvalidTimestampError
from keys.tsa.policy import DIGEST_SIZES

_SIGNATURE_HASHES: dict[str, hashes.HashAlgorithm] = {
    "sha256_ecdsa": hashes.SHA256(),
    "sha384_ecdsa": hashes.SHA384(),
    "sha512_ecdsa": hashes.SHA512(),
}


@dataclass(frozen=True)
class TimestampInfo:
    """What a verified token asserts (the TSTInfo fields a signer records)."""

    serial_number: int
    gen_time: datetime
    policy: str
    hash_algorithm: str
    message_digest: bytes
    nonce: int | None
    certificate: x509.Certificate


def _invalid(message: str) -> InvalidTimestampError:
    return InvalidTimestampError(f"timestamp token rejected: {message}")


def verify_timestamp_token(
    token: bytes,
    *,
    data_digest: bytes,
    hash_algorithm: str,
    nonce: int | None = None,
    tsa_certificate: x509.Certificate | None = None,
) -> TimestampInfo:
    """The token's TSTInfo, once imprint, nonce and signature check; raises InvalidTimestampError.

    With ``tsa_certificate`` the token must be signed by exactly that certificate; without it,
    by the certificate inside the token, which must be a time-stamping certificate.
    """
    try:
        signed_data, content, signer_info = _parse(token)
        info = tsp.TSTInfo.load(content, strict=True)
        imprint = info["message_imprint"]
        fields = TimestampInfo(
            serial_number=info["serial_number"].native,
            gen_time=info["gen_time"].native,
            policy=info["policy"].dotted,
            hash_algorithm=imprint["hash_algorithm"]["algorithm"].native,
            message_digest=imprint["hashed_message"].native,
            nonce=info["nonce"].native,
            certificate=_signer_certificate(signed_data, signer_info, tsa_certificate),
        )
        _check_signed_attributes(signer_info, content, fields.certificate)
    except (ValueError, TypeError, KeyError, IndexError) as exc:
        raise _invalid("not a well-formed TimeStampToken") from exc
    _check_signature(signer_info, fields.certificate)
    if fields.hash_algorithm != hash_algorithm or not hmac.compare_digest(
        fields.message_digest, data_digest
    ):
        raise _invalid("it timestamps other data")
    if nonce is not None and fields.nonce != nonce:
        raise _invalid("its nonce is not the one sent")
    certificate = fields.certificate
    if not certificate.not_valid_before_utc <= fields.gen_time <= certificate.not_valid_after_utc:
        raise _invalid("genTime is outside the TSA certificate's validity")
    return fields


def _parse(token: bytes) -> tuple[cms.SignedData, bytes, cms.SignerInfo]:
    content_info = cms.ContentInfo.load(token, strict=True)
    if content_info["content_type"].native != "signed_data":
        raise ValueError("not SignedData")
    signed_data = content_info["content"]
    encap = signed_data["encap_content_info"]
    if encap["content_type"].native != "tst_info" or len(signed_data["signer_infos"]) != 1:
        raise ValueError("not a TimeStampToken")
    content: bytes = encap["content"].contents
    return signed_data, content, signed_data["signer_infos"][0]


def _signer_certificate(
    signed_data: cms.SignedData, signer_info: cms.SignerInfo, expected: x509.Certificate | None
) -> x509.Certificate:
    sid = signer_info["sid"]
    if sid.name != "issuer_and_serial_number":
        raise _invalid("the signer is not named by issuer and serial number")
    issuer_der: bytes = sid.chosen["issuer"].dump()
    serial: int = sid.chosen["serial_number"].native
    candidates = [
        x509.load_der_x509_certificate(choice.chosen.dump())
        for choice in signed_data["certificates"] or []
        if choice.name == "certificate"
    ]
    if expected is not None:
        candidates = [expected]
    for candidate in candidates:
        if candidate.serial_number == serial and candidate.issuer.public_bytes() == issuer_der:
            _check_purpose(candidate)
            return candidate
    raise _invalid("it is not signed by the expected time-stamp authority")


def _check_purpose(certificate: x509.Certificate) -> None:
    """RFC 3161 section 2.3: a critical extendedKeyUsage with timeStamping only."""
    try:
        eku = certificate.extensions.get_extension_for_class(x509.ExtendedKeyUsage)
    except x509.ExtensionNotFound:
        raise _invalid("the signer is not a time-stamping certificate") from None
    if not eku.critical or list(eku.value) != [ExtendedKeyUsageOID.TIME_STAMPING]:
        raise _invalid("the signer is not a time-stamping certificate")


def _check_signed_attributes(
    signer_info: cms.SignerInfo, content: bytes, certificate: x509.Certificate
) -> None:
    attributes = {a["type"].native: a["values"] for a in signer_info["signed_attrs"] or []}
    if [v.native for v in attributes.get("content_type", [])] != ["tst_info"]:
        raise _invalid("contentType attribute is not id-ct-TSTInfo")
    digest_name = signer_info["digest_algorithm"]["algorithm"].native
    if digest_name not in DIGEST_SIZES:
        raise _invalid("unsupported digest algorithm")
    digest = hashlib.new(digest_name, content).digest()
    if [v.native for v in attributes.get("message_digest", [])] != [digest]:
        raise _invalid("messageDigest does not match the TSTInfo")
    cert_der = certificate.public_bytes(serialization.Encoding.DER)
    v2 = attributes.get("signing_certificate_v2")
    if v2 is None or len(v2) != 1:
        raise _invalid("no signingCertificateV2 attribute (RFC 5816)")
    first = v2[0]["certs"][0]
    algorithm = first["hash_algorithm"]["algorithm"].native
    if algorithm not in DIGEST_SIZES:
        raise _invalid("unsupported signingCertificateV2 hash")
    if not hmac.compare_digest(
        first["cert_hash"].native, hashlib.new(algorithm, cert_der).digest()
    ):
        raise _invalid("signingCertificateV2 names another certificate")


def _check_signature(signer_info: cms.SignerInfo, certificate: x509.Certificate) -> None:
    algorithm = _SIGNATURE_HASHES.get(signer_info["signature_algorithm"]["algorithm"].native)
    public_key = certificate.public_key()
    if algorithm is None or not isinstance(public_key, ec.EllipticCurvePublicKey):
        raise _invalid("unsupported signature algorithm")
    # The signature covers the attributes as a DER SET OF, not as [0] IMPLICIT (RFC 5652 5.4).
    signed = b"\x31" + signer_info["signed_attrs"].dump()[1:]
    try:
        public_key.verify(signer_info["signature"].native, signed, ec.ECDSA(algorithm))
    except InvalidSignature:
        raise _invalid("its signature does not verify") from None
