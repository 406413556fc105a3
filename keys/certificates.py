"""Build and sign one X.509 certificate from a profile (RFC 5280 section 4.1)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from cryptography.hazmat.primitives.asymmetric.types import CertificatePublicKeyTypes

from keys.errors import InvalidCertificateRequestError
from keys.layout import PkiUrls
from keys.profiles import Profile

Clock = Callable[[], datetime]
SerialSource = Callable[[], int]

# Tolerate clocks of relying parties running a little behind ours.
BACKDATE = timedelta(minutes=5)
_ACCEPTED_CURVES = (ec.SECP256R1, ec.SECP384R1, ec.SECP521R1)
COUNTRY = "LA"
ORGANISATION = "OneDoor"


def utc_now() -> datetime:
    return datetime.now(UTC)


def check_public_key(public_key: CertificatePublicKeyTypes) -> None:
    """Refuse key types and sizes we do not certify (NIST SP 800-57 strength >= 112 bits)."""
    if isinstance(public_key, ec.EllipticCurvePublicKey):
        if isinstance(public_key.curve, _ACCEPTED_CURVES):
            return
        raise InvalidCertificateRequestError(f"unsupported curve {public_key.curve.name}")
    if isinstance(public_key, rsa.RSAPublicKey):
        if public_key.key_size >= 2048:
            return
        raise InvalidCertificateRequestError(f"RSA key of {public_key.key_size} bits is too weak")
    if isinstance(public_key, ed25519.Ed25519PublicKey):
        return
    raise InvalidCertificateRequestError(f"unsupported key type {type(public_key).__name__}")


def signature_hash(
    key: ec.EllipticCurvePrivateKey,
) -> hashes.SHA256 | hashes.SHA384 | hashes.SHA512:
    """A digest as strong as the signing curve (RFC 5758 section 3.2)."""
    if key.curve.key_size > 384:
        return hashes.SHA512()
    if key.curve.key_size > 256:
        return hashes.SHA384()
    return hashes.SHA256()


def onedoor_name(common_name: str) -> x509.Name:
    """The distinguished name of one of OneDoor's own CAs and services."""
    return x509.Name(
        [
            x509.NameAttribute(x509.NameOID.COUNTRY_NAME, COUNTRY),
            x509.NameAttribute(x509.NameOID.ORGANIZATION_NAME, ORGANISATION),
            x509.NameAttribute(x509.NameOID.COMMON_NAME, common_name),
        ]
    )


def build_certificate(
    *,
    profile: Profile,
    subject: x509.Name,
    public_key: CertificatePublicKeyTypes,
    issuer: x509.Certificate | None,
    issuer_key: ec.EllipticCurvePrivateKey,
    issuer_ca: str,
    urls: PkiUrls,
    now: datetime,
    serial_number: int,
    hosts: Sequence[str] = (),
) -> x509.Certificate:
    """Sign a certificate; ``issuer`` None means self-signed with ``issuer_key``."""
    check_public_key(public_key)
    not_before = now.replace(microsecond=0) - BACKDATE
    not_after = now.replace(microsecond=0) + profile.validity
    if issuer is not None:
        # Never outlive the issuer (RFC 5280 section 6.1.3 would reject the tail anyway).
        not_after = min(not_after, issuer.not_valid_after_utc)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject if issuer is None else issuer.subject)
        .public_key(public_key)
        .serial_number(serial_number)
        .not_valid_before(not_before)
        .not_valid_after(not_after)
    )
    for extension, critical in profile.extensions(
        public_key=public_key, issuer=issuer, issuer_ca=issuer_ca, urls=urls, hosts=hosts
    ):
        builder = builder.add_extension(extension, critical=critical)
    return builder.sign(issuer_key, signature_hash(issuer_key))
