"""A deterministic test PKI: root CA -> organisation CA -> member TLS and signing certificates.

Keys are derived from their names, so every run builds the same keys; validity windows are
relative to the real clock because TLS handshakes check real time.
"""

from __future__ import annotations

import hashlib
import ipaddress
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from exchange.xroad.identifiers import ClientId

P256_ORDER = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551


def derive_key(name: str) -> ec.EllipticCurvePrivateKey:
    secret = int.from_bytes(hashlib.sha256(f"onedoor test key {name}".encode()).digest(), "big")
    return ec.derive_private_key(secret % (P256_ORDER - 1) + 1, ec.SECP256R1())


@dataclass(frozen=True)
class Issued:
    certificate: x509.Certificate
    key: ec.EllipticCurvePrivateKey

    def pem(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.PEM)

    def key_pem(self) -> bytes:
        return self.key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )


def _serial(name: str) -> int:
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:16], "big") >> 1


def make_ca(name: str, issuer: Issued | None = None) -> Issued:
    key = derive_key(name)
    now = datetime.now(UTC)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    signer_key = issuer.key if issuer else key
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer.certificate.subject if issuer else subject)
        .public_key(key.public_key())
        .serial_number(_serial(name))
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=3650))
        .add_extension(
            x509.BasicConstraints(ca=True, path_length=None if issuer is None else 0),
            critical=True,
        )
        .add_extension(
            x509.KeyUsage(
                digital_signature=True, content_commitment=False, key_encipherment=False,
                data_encipherment=False, key_agreement=False, key_cert_sign=True,
                crl_sign=True, encipher_only=False, decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    )
    if issuer is not None:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key()),
            critical=False,
        )
    return Issued(builder.sign(signer_key, hashes.SHA256()), key)


def make_leaf(
    name: str,
    issuer: Issued,
    *,
    tls: bool,
    not_before: datetime | None = None,
    not_after: datetime | None = None,
) -> Issued:
    key = derive_key(name)
    now = datetime.now(UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)]))
        .issuer_name(issuer.certificate.subject)
        .public_key(key.public_key())
        .serial_number(_serial(name))
        .not_valid_before(not_before or now - timedelta(days=1))
        .not_valid_after(not_after or now + timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True, content_commitment=not tls, key_encipherment=False,
                data_encipherment=False, key_agreement=False, key_cert_sign=False,
                crl_sign=False, encipher_only=False, decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key()),
            critical=False,
        )
    )
    if tls:
        builder = builder.add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        ).add_extension(
            x509.ExtendedKeyUsage(
                [ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]
            ),
            critical=False,
        )
    return Issued(builder.sign(issuer.key, hashes.SHA256()), key)


@dataclass(frozen=True)
class MemberKeys:
    member: ClientId
    tls: Issued
    signing: Issued
    encryption: ec.EllipticCurvePrivateKey

    def write_tls(self, folder: Path) -> tuple[Path, Path]:
        folder.mkdir(parents=True, exist_ok=True)
        cert, key = folder / "tls.pem", folder / "tls.key"
        cert.write_bytes(self.tls.pem())
        key.write_bytes(self.tls.key_pem())
        key.chmod(0o600)
        return cert, key


@dataclass(frozen=True)
class TestPki:
    root: Issued
    org_ca: Issued

    def member(self, member: ClientId, **tls_validity: datetime) -> MemberKeys:
        name = str(member)
        return MemberKeys(
            member=member,
            tls=make_leaf(f"{name} tls", self.org_ca, tls=True, **tls_validity),
            signing=make_leaf(f"{name} signing", self.org_ca, tls=False),
            encryption=derive_key(f"{name} encryption"),
        )

    def ca_bundle(self) -> bytes:
        return self.org_ca.pem() + self.root.pem()


def build_pki(prefix: str = "OneDoor test") -> TestPki:
    root = make_ca(f"{prefix} root CA")
    return TestPki(root=root, org_ca=make_ca(f"{prefix} organisation CA", root))
