"""Build and sign a TimeStampToken: TSTInfo inside CMS SignedData (RFC 3161 section 2.4.2).

The SignerInfo signs contentType, messageDigest and signingCertificateV2 (RFC 5816 section 2.2.1),
which binds the token to the TSA certificate by its SHA-256 hash.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from asn1crypto import algos, cms, core, tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

from keys.tsa.policy import ACCURACY_SECONDS, TSA_POLICY_OID
from keys.tsa.query import TimestampQuery


@dataclass(frozen=True)
class TsaSigner:
    """The TSA certificate and its key (P-256, so the signature is ecdsa-with-SHA256)."""

    certificate: x509.Certificate
    key: ec.EllipticCurvePrivateKey


def tst_info(
    *, query: TimestampQuery, serial_number: int, gen_time: datetime, tsa: x509.Name
) -> tsp.TSTInfo:
    """The TSTInfo answering ``query`` (RFC 3161 section 2.4.2)."""
    tsa_name = asn1_x509.Name.load(tsa.public_bytes())
    fields: dict[str, object] = {
        "version": "v1",
        "policy": TSA_POLICY_OID,
        "message_imprint": {
            "hash_algorithm": {"algorithm": query.hash_algorithm},
            "hashed_message": query.message_digest,
        },
        "serial_number": serial_number,
        # Millisecond resolution, no trailing zeros, always UTC ("Z").
        "gen_time": gen_time.replace(microsecond=gen_time.microsecond // 1000 * 1000),
        "accuracy": {"seconds": ACCURACY_SECONDS},
        "tsa": asn1_x509.GeneralName(name="directory_name", value=tsa_name),
    }
    if query.nonce is not None:
        fields["nonce"] = query.nonce
    return tsp.TSTInfo(fields)


def signed_token(
    *, info: tsp.TSTInfo, signer: TsaSigner, include_certificate: bool
) -> cms.ContentInfo:
    """``info`` as eContent of a SignedData signed by the TSA (RFC 5652 section 5)."""
    content = info.dump()
    cert_der = signer.certificate.public_bytes(serialization.Encoding.DER)
    certificate = asn1_x509.Certificate.load(cert_der)
    attributes = cms.CMSAttributes(
        [
            {"type": "content_type", "values": ["tst_info"]},
            {"type": "message_digest", "values": [hashlib.sha256(content).digest()]},
            {"type": "signing_certificate_v2", "values": [_signing_certificate(certificate)]},
        ]
    )
    # The signature covers the DER SET OF (tag 0x31), not the [0] IMPLICIT form (RFC 5652 5.4).
    signature = signer.key.sign(attributes.dump(), ec.ECDSA(hashes.SHA256()))
    signer_info = cms.SignerInfo(
        {
            "version": "v1",
            "sid": cms.SignerIdentifier(
                name="issuer_and_serial_number",
                value={"issuer": certificate.issuer, "serial_number": certificate.serial_number},
            ),
            "digest_algorithm": {"algorithm": "sha256"},
            "signed_attrs": attributes,
            "signature_algorithm": {"algorithm": "sha256_ecdsa"},
            "signature": signature,
        }
    )
    signed_data: dict[str, object] = {
        "version": "v3",  # eContentType is not id-data (RFC 5652 section 5.1)
        "digest_algorithms": [algos.DigestAlgorithm({"algorithm": "sha256"})],
        "encap_content_info": {
            "content_type": "tst_info",
            "content": core.ParsableOctetString(content),
        },
        "signer_infos": [signer_info],
    }
    if include_certificate:  # certReq (RFC 3161 section 2.4.1)
        signed_data["certificates"] = [certificate]
    return cms.ContentInfo({"content_type": "signed_data", "content": cms.SignedData(signed_data)})


def _signing_certificate(certificate: asn1_x509.Certificate) -> tsp.SigningCertificateV2:
    """ESSCertIDv2 with SHA-256, the default algorithm, so hashAlgorithm is omitted."""
    return tsp.SigningCertificateV2(
        {
            "certs": [
                {
                    "cert_hash": hashlib.sha256(certificate.dump()).digest(),
                    "issuer_serial": {
                        "issuer": [
                            asn1_x509.GeneralName(name="directory_name", value=certificate.issuer)
                        ],
                        "serial_number": certificate.serial_number,
                    },
                }
            ]
        }
    )
