"""Member certificates: chain to a CA the global configuration trusts, and belong to the member.

TLS certificates are validated with the Web PKI client profile (EKU clientAuth, SAN); signing
certificates with any end-entity extensions. Certificate status (OCSP) is a later issue: a
``RevocationCheck`` hook runs after the chain is built.
"""

from __future__ import annotations

import hmac
from datetime import datetime
from typing import Literal

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.x509.verification import (
    ExtensionPolicy,
    PolicyBuilder,
    Store,
    VerificationError,
)

from exchange.central.globalconf import GlobalConfiguration, MemberEntry
from exchange.gateway.config import RevocationCheck
from exchange.xroad.errors import CertValidationError, SslAuthenticationError

Purpose = Literal["tls", "signing"]


def verify_member_certificate(
    certificate: x509.Certificate,
    *,
    configuration: GlobalConfiguration,
    now: datetime,
    purpose: Purpose,
    revocation_check: RevocationCheck | None = None,
) -> None:
    """Raise CertValidationError unless ``certificate`` chains to a trusted CA at ``now``."""
    if not configuration.trusted_cas:
        raise CertValidationError("the global configuration trusts no CA")
    builder = PolicyBuilder().store(Store(list(configuration.trusted_cas))).time(now)
    if purpose == "signing":
        builder = builder.extension_policies(
            ca_policy=ExtensionPolicy.webpki_defaults_ca(), ee_policy=ExtensionPolicy.permit_all()
        )
    try:
        builder.build_client_verifier().verify(certificate, list(configuration.trusted_cas))
    except VerificationError as exc:
        raise CertValidationError(f"{purpose} certificate is not trusted: {exc}") from exc
    if revocation_check is not None:
        revocation_check(certificate)


def check_belongs_to(certificate: x509.Certificate, member: MemberEntry) -> None:
    """Raise SslAuthenticationError unless this is the TLS certificate the directory names."""
    presented = certificate.fingerprint(hashes.SHA256())
    registered = member.tls_certificate.fingerprint(hashes.SHA256())
    if not hmac.compare_digest(presented, registered):
        raise SslAuthenticationError(
            f"peer TLS certificate is not the one registered for {member.id}"
        )


def fingerprint(certificate: x509.Certificate) -> str:
    return certificate.fingerprint(hashes.SHA256()).hex()
