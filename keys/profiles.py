"""Certificate profiles: what each kind of certificate may do (RFC 5280 section 4.2.1)."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric.types import CertificatePublicKeyTypes
from cryptography.x509.oid import AuthorityInformationAccessOID, ExtendedKeyUsageOID

from keys.errors import InvalidCertificateRequestError
from keys.layout import PkiUrls

_DAY = timedelta(days=1)
_DNS_LABEL = re.compile(r"(?!-)[A-Za-z0-9-]{1,63}(?<!-)\Z")


def _key_usage(
    *,
    digital_signature: bool = False,
    content_commitment: bool = False,
    key_cert_sign: bool = False,
    crl_sign: bool = False,
) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=digital_signature,
        content_commitment=content_commitment,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=key_cert_sign,
        crl_sign=crl_sign,
        encipher_only=False,
        decipher_only=False,
    )


@dataclass(frozen=True)
class Profile:
    """Key usage, extended key usage, CA status and lifetime of one kind of certificate."""

    name: str
    validity: timedelta
    key_usage: x509.KeyUsage
    extended_key_usages: tuple[x509.ObjectIdentifier, ...] = ()
    extended_key_usage_critical: bool = False
    ca: bool = False
    path_length: int | None = None
    ocsp_no_check: bool = False
    needs_hosts: bool = False

    def extensions(
        self,
        *,
        public_key: CertificatePublicKeyTypes,
        issuer: x509.Certificate | None,
        issuer_ca: str,
        urls: PkiUrls,
        hosts: Sequence[str] = (),
    ) -> list[tuple[x509.ExtensionType, bool]]:
        """The extensions and their criticality; ``issuer`` is None for a self-signed root."""
        if self.needs_hosts and not hosts:
            raise InvalidCertificateRequestError(f"a {self.name} certificate needs a host name")
        extensions: list[tuple[x509.ExtensionType, bool]] = [
            (x509.BasicConstraints(ca=self.ca, path_length=self.path_length), True),
            (self.key_usage, True),
            (x509.SubjectKeyIdentifier.from_public_key(public_key), False),
        ]
        if self.extended_key_usages:
            extensions.append(
                (
                    x509.ExtendedKeyUsage(list(self.extended_key_usages)),
                    self.extended_key_usage_critical,
                )
            )
        if hosts:
            extensions.append((x509.SubjectAlternativeName(general_names(hosts)), False))
        if self.ocsp_no_check:
            extensions.append((x509.OCSPNoCheck(), False))
        if issuer is not None:
            extensions += _issuer_extensions(self, issuer=issuer, issuer_ca=issuer_ca, urls=urls)
        return extensions


def _issuer_extensions(
    profile: Profile, *, issuer: x509.Certificate, issuer_ca: str, urls: PkiUrls
) -> list[tuple[x509.ExtensionType, bool]]:
    """AKI, AIA and CRL distribution point of the issuing CA (RFC 5280 4.2.1.1, 4.2.2.1)."""
    ski = issuer.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    access = [
        x509.AccessDescription(
            AuthorityInformationAccessOID.CA_ISSUERS,
            x509.UniformResourceIdentifier(urls.ca_issuers(issuer_ca)),
        )
    ]
    if not profile.ca:
        # CA certificates are checked against the root's CRL; only end entities have OCSP.
        access.append(
            x509.AccessDescription(
                AuthorityInformationAccessOID.OCSP,
                x509.UniformResourceIdentifier(urls.ocsp(issuer_ca)),
            )
        )
    crl_point = x509.DistributionPoint(
        full_name=[x509.UniformResourceIdentifier(urls.crl(issuer_ca))],
        relative_name=None,
        reasons=None,
        crl_issuer=None,
    )
    return [
        (x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski), False),
        (x509.AuthorityInformationAccess(access), False),
        (x509.CRLDistributionPoints([crl_point]), False),
    ]


def general_names(hosts: Sequence[str]) -> list[x509.GeneralName]:
    """Host names and IP addresses as subjectAltName entries (RFC 5280 section 4.2.1.6)."""
    names: list[x509.GeneralName] = []
    for host in hosts:
        try:
            names.append(x509.IPAddress(ipaddress.ip_address(host)))
            continue
        except ValueError:
            pass
        labels = host.rstrip(".").split(".") if len(host) <= 253 else []
        if not labels or not all(_DNS_LABEL.match(label) for label in labels):
            raise InvalidCertificateRequestError(f"not a host name or IP address: {host!r}")
        names.append(x509.DNSName(host.rstrip(".").lower()))
    return names


ROOT_CA = Profile(
    "root_ca", 25 * 365 * _DAY, _key_usage(key_cert_sign=True, crl_sign=True), ca=True
)
ISSUING_CA = Profile(
    "issuing_ca",
    15 * 365 * _DAY,
    _key_usage(key_cert_sign=True, crl_sign=True),
    ca=True,
    path_length=0,
)
TIMESTAMPING = Profile(
    "timestamping",
    10 * 365 * _DAY,
    _key_usage(digital_signature=True, content_commitment=True),
    (ExtendedKeyUsageOID.TIME_STAMPING,),
    extended_key_usage_critical=True,  # RFC 3161 section 2.3: critical, and the only purpose
)
OCSP_RESPONDER = Profile(
    "ocsp_responder",
    5 * 365 * _DAY,
    _key_usage(digital_signature=True),
    (ExtendedKeyUsageOID.OCSP_SIGNING,),
    ocsp_no_check=True,  # RFC 6960 section 4.2.2.2.1
)
MEMBER_TLS = Profile(
    "member_tls",
    2 * 365 * _DAY,
    _key_usage(digital_signature=True),
    (ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH),
    needs_hosts=True,
)
MEMBER_SIGNING = Profile("member_signing", 2 * 365 * _DAY, _key_usage(digital_signature=True))
CITIZEN_SIGNING = Profile(
    "citizen_signing",
    3 * 365 * _DAY,
    _key_usage(digital_signature=True, content_commitment=True),  # nonRepudiation
)
SERVICE_TLS = Profile(
    "service_tls",
    365 * _DAY,
    _key_usage(digital_signature=True),
    (ExtendedKeyUsageOID.SERVER_AUTH,),
    needs_hosts=True,
)

PROFILES: dict[str, Profile] = {
    profile.name: profile
    for profile in (
        ROOT_CA,
        ISSUING_CA,
        TIMESTAMPING,
        OCSP_RESPONDER,
        MEMBER_TLS,
        MEMBER_SIGNING,
        CITIZEN_SIGNING,
        SERVICE_TLS,
    )
}
