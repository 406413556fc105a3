"""Custody of the central server's global-configuration signing key in the state directory.

Until the PKI (keys/) issues the central server a certificate, the key gets a self-signed
certificate; gateways pin that certificate as their trust anchor, distributed out of band.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from onedoor.config import Settings
from onedoor.errors import ConfigurationError

KEY_FILE = "globalconf-signing.key.pem"
CERT_FILE = "globalconf-signing.cert.pem"


@dataclass(frozen=True)
class CentralSigner:
    key: ec.EllipticCurvePrivateKey
    certificate: x509.Certificate


def signer_folder(settings: Settings) -> Path:
    return settings.state_dir / "central"


def load_or_create_signer(settings: Settings, *, now: datetime) -> CentralSigner:
    """The signing key (encrypted with the key passphrase) and certificate, created once."""
    folder = signer_folder(settings)
    key_path, cert_path = folder / KEY_FILE, folder / CERT_FILE
    passphrase = settings.resolve_key_passphrase(create=True)
    if key_path.exists() and cert_path.exists():
        try:
            key = serialization.load_pem_private_key(key_path.read_bytes(), passphrase)
            certificate = x509.load_pem_x509_certificate(cert_path.read_bytes())
        except (OSError, ValueError, TypeError) as exc:
            raise ConfigurationError(f"cannot load the central signing key in {folder}") from exc
        if not isinstance(key, ec.EllipticCurvePrivateKey):
            raise ConfigurationError("the central signing key must be an EC P-256 key")
        return CentralSigner(key=key, certificate=certificate)
    key = ec.generate_private_key(ec.SECP256R1())
    certificate = self_signed_certificate(key, now=now)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    _write_private(
        key_path,
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(passphrase),
        ),
    )
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return CentralSigner(key=key, certificate=certificate)


def self_signed_certificate(key: ec.EllipticCurvePrivateKey, *, now: datetime) -> x509.Certificate:
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "OneDoor central server")])
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True, content_commitment=False, key_encipherment=False,
                data_encipherment=False, key_agreement=False, key_cert_sign=False,
                crl_sign=False, encipher_only=False, decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )


def _write_private(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
