"""Member certificates: chain to a CA the global configuration trusts, and belong to the member.

TLS certificates are validated with the Web PKI client profile (EKU clientAuth, SAN); signing
certificates with any end-entity extensions. Certificate status runs after the chain is built,
on every call: the ``RevocationCheck`` hook (``certstatus.OcspStatusChecker``) is given the
certificate and the issuer the chain was built through.

A successful chain validation is remembered per (certificate, purpose) for the configuration
object it was made against (a new configuration starts afresh); a remembered chain is reused
only while ``now`` lies inside every validity period of the chain, so an expiring certificate
or CA is refused exactly as without the cache. Failures are never remembered.
"""

from __future__ import annotations

import hmac
import threading
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
# The window in which every link of the chain is valid, and the certificate's issuer in it.
Validated = tuple[datetime, datetime, x509.Certificate]
_MAX_ENTRIES = 4096


class _ChainCache:
    """Validated chains of the latest configuration object: (fingerprint, purpose) -> window
    and issuer."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._configuration: GlobalConfiguration | None = None
        self._windows: dict[tuple[bytes, Purpose], Validated] = {}

    def get(
        self, configuration: GlobalConfiguration, key: tuple[bytes, Purpose]
    ) -> Validated | None:
        with self._lock:
            if self._configuration is not configuration:
                return None
            return self._windows.get(key)

    def put(
        self, configuration: GlobalConfiguration, key: tuple[bytes, Purpose], window: Validated
    ) -> None:
        with self._lock:
            if self._configuration is not configuration:
                self._configuration, self._windows = configuration, {}
            if len(self._windows) >= _MAX_ENTRIES:
                self._windows.clear()
            self._windows[key] = window

    def clear(self) -> None:
        with self._lock:
            self._configuration, self._windows = None, {}


_CHAINS = _ChainCache()


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
    key = (certificate.fingerprint(hashes.SHA256()), purpose)
    validated = _CHAINS.get(configuration, key)
    if validated is None or not validated[0] <= now <= validated[1]:
        validated = _validate(certificate, configuration, now, purpose)
        _CHAINS.put(configuration, key, validated)
    if revocation_check is not None:
        revocation_check(certificate, validated[2])


def _validate(
    certificate: x509.Certificate,
    configuration: GlobalConfiguration,
    now: datetime,
    purpose: Purpose,
) -> Validated:
    """Build and check the chain at ``now``; the window in which every link is valid, and the
    certificate's issuer."""
    builder = PolicyBuilder().store(Store(list(configuration.trusted_cas))).time(now)
    if purpose == "signing":
        builder = builder.extension_policies(
            ca_policy=ExtensionPolicy.webpki_defaults_ca(), ee_policy=ExtensionPolicy.permit_all()
        )
    try:
        chain = builder.build_client_verifier().verify(
            certificate, list(configuration.trusted_cas)
        ).chain
    except VerificationError as exc:
        raise CertValidationError(f"{purpose} certificate is not trusted: {exc}") from exc
    return (
        max(link.not_valid_before_utc for link in chain),
        min(link.not_valid_after_utc for link in chain),
        chain[1] if len(chain) > 1 else chain[0],
    )


def forget_validated_chains() -> None:
    """Drop every remembered chain (tests; or after a trust decision changed out of band)."""
    _CHAINS.clear()


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
