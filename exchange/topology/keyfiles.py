"""A gateway's keys in ``state_dir/gateways/<member>/`` and its certificates from the PKI.

Private keys (TLS, message signing, body encryption) are P-256, stored as passphrase-encrypted
PKCS#8 files with mode 0600 by the PKI's file custody, created once and never rewritten. The
message-log key is 32 random bytes (0600). Certificates are issued by the organisation CA and
kept beside the keys; they are reused while they match the keys, name the wanted hosts, chain
to the current organisation CA and have more than ``RENEW_BEFORE`` left.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from sqlalchemy.orm import Session

from exchange.topology.members import MemberSpec
from keys.custody import FileKeyCustody
from keys.files import CERT_FILE_MODE, KEY_FILE_MODE, make_private_dir, write_atomically
from keys.issuance import issue_member_certificates
from keys.layout import ORGANISATION_CA
from keys.pki import Pki
from keys.profiles import general_names
from onedoor.config import Settings
from onedoor.errors import ConfigurationError

TLS, SIGNING, ENCRYPTION = "tls", "signing", "encryption"
LOG_KEY_FILE = "message-log.key"
RENEW_BEFORE = timedelta(days=30)
DEFAULT_HOSTS = ("localhost", "127.0.0.1")


@dataclass(frozen=True)
class GatewayKeys:
    """A member gateway's private keys and certificates, as files and loaded."""

    folder: Path
    tls_key: ec.EllipticCurvePrivateKey
    signing_key: ec.EllipticCurvePrivateKey
    encryption_key: ec.EllipticCurvePrivateKey
    log_key: bytes
    tls_certificate: x509.Certificate
    signing_certificate: x509.Certificate

    @property
    def tls_certificate_file(self) -> Path:
        return self.folder / f"{TLS}.cert.pem"

    @property
    def tls_key_file(self) -> Path:
        return self.folder / f"{TLS}.key.pem"

    def __repr__(self) -> str:
        return f"GatewayKeys({str(self.folder)!r})"


def gateway_folder(settings: Settings, spec: MemberSpec) -> Path:
    return settings.state_dir / "gateways" / spec.code


def ensure_gateway_keys(
    settings: Settings,
    *,
    session: Session,
    pki: Pki,
    spec: MemberSpec,
    now: datetime,
    hosts: Sequence[str] = DEFAULT_HOSTS,
) -> GatewayKeys:
    """Create what is missing (keys once, certificates when needed); returns everything."""
    folder = gateway_folder(settings, spec)
    make_private_dir(folder)
    custody = FileKeyCustody(folder, settings.resolve_key_passphrase(create=True))
    keys = {}
    for name in (TLS, SIGNING, ENCRYPTION):
        if not custody.has_key(name):
            custody.generate_key(name, ec.SECP256R1())
        keys[name] = custody.private_key(name)
    tls_cert = _read_certificate(folder / f"{TLS}.cert.pem")
    signing_cert = _read_certificate(folder / f"{SIGNING}.cert.pem")
    organisation_ca = pki.ca_certificate(ORGANISATION_CA)
    if not (
        _usable(tls_cert, keys[TLS], organisation_ca, now, hosts=hosts)
        and _usable(signing_cert, keys[SIGNING], organisation_ca, now, hosts=())
    ):
        issued = issue_member_certificates(
            session=session, pki=pki, member_id=str(spec.member), member_name=spec.name,
            tls_public_key=keys[TLS].public_key(), signing_public_key=keys[SIGNING].public_key(),
            hosts=hosts, clock=lambda: now,
        )
        tls_cert, signing_cert = issued.tls, issued.signing
        for name, certificate in ((TLS, tls_cert), (SIGNING, signing_cert)):
            write_atomically(
                folder / f"{name}.cert.pem",
                certificate.public_bytes(serialization.Encoding.PEM), mode=CERT_FILE_MODE,
            )
    assert tls_cert is not None and signing_cert is not None
    return GatewayKeys(
        folder=folder, tls_key=keys[TLS], signing_key=keys[SIGNING],
        encryption_key=keys[ENCRYPTION], log_key=_log_key(folder / LOG_KEY_FILE),
        tls_certificate=tls_cert, signing_certificate=signing_cert,
    )


def load_gateway_keys(settings: Settings, spec: MemberSpec) -> GatewayKeys:
    """Keys and certificates that provisioning created; raises ConfigurationError if absent."""
    folder = gateway_folder(settings, spec)
    custody = FileKeyCustody(folder, settings.resolve_key_passphrase())
    tls_cert = _read_certificate(folder / f"{TLS}.cert.pem")
    signing_cert = _read_certificate(folder / f"{SIGNING}.cert.pem")
    log_path = folder / LOG_KEY_FILE
    if tls_cert is None or signing_cert is None or not log_path.exists():
        raise ConfigurationError(
            f"gateway of {spec.member} is not provisioned in {folder}: run the provisioning"
        )
    return GatewayKeys(
        folder=folder, tls_key=custody.private_key(TLS), signing_key=custody.private_key(SIGNING),
        encryption_key=custody.private_key(ENCRYPTION), log_key=_log_key(log_path, create=False),
        tls_certificate=tls_cert, signing_certificate=signing_cert,
    )


def _usable(
    certificate: x509.Certificate | None,
    key: ec.EllipticCurvePrivateKey,
    issuer: x509.Certificate,
    now: datetime,
    *,
    hosts: Sequence[str],
) -> bool:
    if certificate is None or certificate.not_valid_after_utc - RENEW_BEFORE <= now:
        return False
    if _spki(certificate.public_key()) != _spki(key.public_key()):
        return False
    try:
        certificate.verify_directly_issued_by(issuer)
    except (ValueError, TypeError, InvalidSignature):
        return False
    if not hosts:
        return True
    try:
        names = certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return False
    return all(name in names for name in general_names(hosts))


def _spki(key: object) -> bytes:
    assert isinstance(key, ec.EllipticCurvePublicKey)
    return key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def _read_certificate(path: Path) -> x509.Certificate | None:
    try:
        return x509.load_pem_x509_certificate(path.read_bytes())
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise ConfigurationError(f"gateway certificate {path} is unreadable") from exc


def _log_key(path: Path, *, create: bool = True) -> bytes:
    if create and not path.exists():
        write_atomically(path, os.urandom(32), mode=KEY_FILE_MODE)
    try:
        key = path.read_bytes()
    except OSError as exc:
        raise ConfigurationError(f"message log key {path} is unreadable") from exc
    if len(key) != 32:
        raise ConfigurationError(f"message log key {path} is not 32 bytes")
    return key
