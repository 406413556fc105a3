"""Where a B-LT signature gets its evidence: the TSA, revocation data, missing CA certificates.

``LongTermSources`` is built once per process and reused for every signature (one HTTP pool,
one TimeStamper whose TSA certificates pyHanko caches). ``local_sources`` answers in-process from
this deployment's PKI; ``http_sources`` asks the PKI at its URLs, for a signature creation
application that runs elsewhere. Both stand behind the same interfaces, so PAdES and CAdES code
does not know which one it uses.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import httpx
from asn1crypto import cms
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.oid import AuthorityInformationAccessOID
from pyhanko.sign.timestamps.api import TimeStamper
from pyhanko.sign.timestamps.common_utils import TimestampRequestError
from pyhanko_certvalidator import ValidationContext
from sqlalchemy.orm import Session, sessionmaker

from idp.signing.errors import SignatureCreationError
from idp.signing.revocation import (
    HttpRevocationSource,
    LocalRevocationSource,
    RevocationData,
    RevocationSource,
    collect_revocation,
)
from idp.signing.timestamping import PooledHttpTimestampTransport, TransportTimeStamper
from keys.layout import CERTIFICATE_AUTHORITIES
from keys.pki import Pki
from keys.tsa.client import LocalTimestampTransport


def asn1_certificate(certificate: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(certificate.public_bytes(Encoding.DER))


def crypto_certificate(certificate: asn1_x509.Certificate) -> x509.Certificate:
    return x509.load_der_x509_certificate(certificate.dump())


@dataclass
class LongTermSources:
    """TSA, revocation and CA certificates for long-term (B-LT) signatures; close() at exit."""

    timestamper: TimeStamper
    revocation: RevocationSource
    trust_roots: tuple[x509.Certificate, ...]
    ca_certificates: tuple[x509.Certificate, ...] = ()
    fetch_issuer: Callable[[x509.Certificate], x509.Certificate | None] | None = None
    closers: tuple[Callable[[], None], ...] = field(default=(), repr=False)

    def close(self) -> None:
        for closer in self.closers:
            closer()

    async def tsa_certificates(self) -> list[x509.Certificate]:
        """The TSA's certificates (from a token pyHanko fetches once and caches)."""
        try:
            token: cms.ContentInfo = await self.timestamper.async_dummy_response("sha256")
        except (TimestampRequestError, OSError) as exc:
            raise SignatureCreationError(f"time-stamp authority failed: {exc}") from exc
        return [crypto_certificate(choice.chosen) for choice in token["content"]["certificates"]]

    def chain(
        self, leaf: x509.Certificate, extra: Sequence[x509.Certificate] = ()
    ) -> list[x509.Certificate]:
        """``leaf`` and its issuers up to a trusted root; raises if no such chain exists."""
        pool = [*extra, *self.ca_certificates, *self.trust_roots]
        chain = [leaf]
        while chain[-1].issuer != chain[-1].subject and len(chain) < 8:
            issuer = next((c for c in pool if c.subject == chain[-1].issuer), None)
            if issuer is None and self.fetch_issuer is not None:
                issuer = self.fetch_issuer(chain[-1])
            if issuer is None:
                raise SignatureCreationError("no certificate chain to a trusted root")
            chain.append(issuer)
        if chain[-1] not in self.trust_roots:
            raise SignatureCreationError("no certificate chain to a trusted root")
        return chain

    async def evidence(
        self, signer: x509.Certificate, signer_extra: Sequence[x509.Certificate] = ()
    ) -> Evidence:
        """Chains of the signer and of the TSA with fresh revocation data for both."""
        tsa = await self.tsa_certificates()
        chains = [self.chain(signer, signer_extra), *(self.chain(cert, tsa) for cert in tsa[:1])]
        revocation = collect_revocation(chains, source=self.revocation)
        return Evidence(tuple(chains), revocation)


@dataclass(frozen=True)
class Evidence:
    """The certificate chains (leaf first) and the revocation data covering them."""

    chains: tuple[list[x509.Certificate], ...]
    revocation: RevocationData

    @property
    def certificates(self) -> list[x509.Certificate]:
        seen: list[x509.Certificate] = []
        for chain in self.chains:
            seen += [cert for cert in chain if cert not in seen]
        return seen

    def validation_context(self, trust_roots: Sequence[x509.Certificate]) -> ValidationContext:
        """pyHanko's context with exactly this evidence and no fetching (hard fail)."""
        from asn1crypto import crl as asn1_crl
        from asn1crypto import ocsp as asn1_ocsp

        return ValidationContext(
            trust_roots=[asn1_certificate(root) for root in trust_roots],
            other_certs=[asn1_certificate(cert) for cert in self.certificates],
            ocsps=[asn1_ocsp.OCSPResponse.load(der) for der in self.revocation.ocsps],
            crls=[asn1_crl.CertificateList.load(der) for der in self.revocation.crls],
            allow_fetching=False,
            revocation_mode="hard-fail",
        )


@dataclass
class AiaIssuers:
    """Issuer certificates fetched at the AIA caIssuers URL (RFC 5280 4.2.2.1), cached."""

    client: httpx.Client
    cache: dict[str, x509.Certificate | None] = field(default_factory=dict)

    def issuer(self, certificate: x509.Certificate) -> x509.Certificate | None:
        try:
            aia = certificate.extensions.get_extension_for_class(x509.AuthorityInformationAccess)
        except x509.ExtensionNotFound:
            return None
        urls = [str(d.access_location.value) for d in aia.value
                if d.access_method == AuthorityInformationAccessOID.CA_ISSUERS]
        if not urls:
            return None
        if urls[0] not in self.cache:
            self.cache[urls[0]] = self._fetch(urls[0])
        return self.cache[urls[0]]

    def _fetch(self, url: str) -> x509.Certificate | None:
        try:
            response = self.client.get(url)
            return x509.load_der_x509_certificate(response.content)
        except (httpx.HTTPError, ValueError):
            return None


def local_sources(*, sessions: sessionmaker[Session], pki: Pki) -> LongTermSources:
    """Everything in-process, from this deployment's PKI (the single-machine deployment)."""
    return LongTermSources(
        timestamper=TransportTimeStamper(LocalTimestampTransport(sessions=sessions, pki=pki)),
        revocation=LocalRevocationSource(sessions=sessions, pki=pki),
        trust_roots=(pki.root,),
        ca_certificates=tuple(pki.certificates[name] for name in CERTIFICATE_AUTHORITIES),
    )


def http_sources(
    *,
    tsa_url: str,
    trust_roots: Sequence[x509.Certificate],
    ca_certificates: Sequence[x509.Certificate] = (),
    timeout: float = 10.0,
) -> LongTermSources:
    """The TSA at ``tsa_url`` and the OCSP / CRL URLs in certificates, over one HTTP pool."""
    client = httpx.Client(timeout=timeout)
    return LongTermSources(
        fetch_issuer=AiaIssuers(client).issuer,
        timestamper=TransportTimeStamper(PooledHttpTimestampTransport(tsa_url, client)),
        revocation=HttpRevocationSource(client),
        trust_roots=tuple(trust_roots),
        ca_certificates=tuple(ca_certificates),
        closers=(client.close,),
    )
