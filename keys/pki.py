"""The loaded PKI: certificates of every entity, CA keys in custody, consistency checks."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.types import CertificatePublicKeyTypes

from keys.custody import FileKeyCustody, KeyCustody
from keys.errors import PkiInconsistentError, PkiNotInitialisedError, UnknownCaError
from keys.files import read_certificate
from keys.layout import (
    CERTIFICATE_AUTHORITIES,
    ENTITIES,
    ENTITY_BY_NAME,
    ROOT_CA,
    TIMESTAMP_AUTHORITY,
    EntitySpec,
    PkiUrls,
    certificate_path,
    key_path,
    ocsp_responder_name,
)
from onedoor.config import Settings


@dataclass(frozen=True)
class Pki:
    """An initialised, consistent PKI; CA keys stay in ``custody`` and sign on request."""

    directory: Path
    urls: PkiUrls
    custody: KeyCustody
    certificates: Mapping[str, x509.Certificate]

    @property
    def root(self) -> x509.Certificate:
        return self.certificates[ROOT_CA]

    @property
    def timestamp_authority(self) -> x509.Certificate:
        return self.certificates[TIMESTAMP_AUTHORITY]

    def ca_certificate(self, ca: str) -> x509.Certificate:
        if ca not in CERTIFICATE_AUTHORITIES:
            raise UnknownCaError(f"no certification authority named {ca!r}")
        return self.certificates[ca]

    def ca_key(self, ca: str) -> ec.EllipticCurvePrivateKey:
        self.ca_certificate(ca)
        return self.custody.private_key(ca)

    def ocsp_responder(self, ca: str) -> x509.Certificate:
        """The delegated OCSP responder certificate of an issuing CA."""
        if ca == ROOT_CA:
            raise UnknownCaError("the root CA has no OCSP responder")
        self.ca_certificate(ca)
        return self.certificates[ocsp_responder_name(ca)]

    def chain(self, name: str) -> tuple[x509.Certificate, ...]:
        """``name``'s certificate, then its issuers up to and including the root."""
        if name not in ENTITY_BY_NAME:
            raise UnknownCaError(f"no PKI entity named {name!r}")
        chain = [self.certificates[name]]
        while not ENTITY_BY_NAME[name].is_root:
            name = ENTITY_BY_NAME[name].issuer
            chain.append(self.certificates[name])
        return tuple(chain)


def load_pki(settings: Settings) -> Pki:
    """The PKI in ``settings.keys_dir``, with every key decrypted and checked against its cert."""
    directory = settings.keys_dir
    present = present_entities(directory)
    if not present:
        raise PkiNotInitialisedError(f"PKI not initialised in {directory}: run `onedoor keys init`")
    missing = [spec.name for spec in ENTITIES if spec.name not in present]
    custody = FileKeyCustody(directory, settings.resolve_key_passphrase())
    certificates = verify_entities(directory, custody, present)
    if missing:
        raise PkiNotInitialisedError(
            f"PKI in {directory} lacks {', '.join(missing)}: run `onedoor keys init`"
        )
    return Pki(directory, PkiUrls.from_settings(settings), custody, certificates)


def present_entities(directory: Path) -> list[str]:
    """Names of entities whose certificate and key both exist; raises on a half-pair."""
    if not directory.exists():
        return []
    if not directory.is_dir():
        raise PkiInconsistentError(f"PKI directory {directory} is not a directory")
    present = []
    for spec in ENTITIES:
        cert = _exists(certificate_path(directory, spec.name))
        key = _exists(key_path(directory, spec.name))
        if cert and not key:
            raise PkiInconsistentError(
                f"PKI in {directory} is half-initialised: {spec.name} has a certificate "
                "but no private key"
            )
        if key and not cert:
            raise PkiInconsistentError(
                f"PKI in {directory} is half-initialised: {spec.name} has a private key "
                "but no certificate"
            )
        if cert:
            present.append(spec.name)
    return present


def _exists(path: Path) -> bool:
    return path.exists() or path.is_symlink()


def verify_entities(
    directory: Path, custody: KeyCustody, names: list[str]
) -> dict[str, x509.Certificate]:
    """Read each certificate and check its key and its issuer's signature (issuers first)."""
    certificates: dict[str, x509.Certificate] = {}
    for spec in ENTITIES:
        if spec.name in names:
            certificates[spec.name] = _verify_entity(directory, custody, spec, certificates)
    return certificates


def _verify_entity(
    directory: Path,
    custody: KeyCustody,
    spec: EntitySpec,
    issued: Mapping[str, x509.Certificate],
) -> x509.Certificate:
    certificate = read_certificate(certificate_path(directory, spec.name))
    key = custody.private_key(spec.name)
    if _spki(key.public_key()) != _spki(certificate.public_key()):
        raise PkiInconsistentError(
            f"PKI in {directory}: the private key of {spec.name} does not match its certificate"
        )
    issuer = certificate if spec.is_root else issued.get(spec.issuer)
    if issuer is None:
        raise PkiInconsistentError(
            f"PKI in {directory}: {spec.name} is present but its issuer {spec.issuer} is not"
        )
    try:
        certificate.verify_directly_issued_by(issuer)
    except (ValueError, TypeError, InvalidSignature):
        raise PkiInconsistentError(
            f"PKI in {directory}: the certificate of {spec.name} was not issued by {spec.issuer}"
        ) from None
    return certificate


def _spki(public_key: CertificatePublicKeyTypes) -> bytes:
    return public_key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )


@dataclass(frozen=True)
class CertificateSummary:
    """What ``onedoor keys list`` shows about one certificate."""

    name: str
    subject: str
    issuer: str
    not_before: datetime
    not_after: datetime
    sha256_fingerprint: str


def list_certificates(settings: Settings) -> list[CertificateSummary]:
    """Every certificate of the PKI (no passphrase needed: certificates are public)."""
    directory = settings.keys_dir
    present = present_entities(directory)
    if not present:
        raise PkiNotInitialisedError(f"PKI not initialised in {directory}: run `onedoor keys init`")
    summaries = []
    for name in present:
        certificate = read_certificate(certificate_path(directory, name))
        summaries.append(
            CertificateSummary(
                name=name,
                subject=certificate.subject.rfc4514_string(),
                issuer=certificate.issuer.rfc4514_string(),
                not_before=certificate.not_valid_before_utc,
                not_after=certificate.not_valid_after_utc,
                sha256_fingerprint=fingerprint(certificate),
            )
        )
    return summaries


def fingerprint(certificate: x509.Certificate) -> str:
    """SHA-256 fingerprint as colon-separated upper-case hex (what ``openssl x509`` prints)."""
    return certificate.fingerprint(hashes.SHA256()).hex(":").upper()
