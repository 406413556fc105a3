"""Revocation data gathered at signing time fails closed: forged, mismatched, unreachable."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import httpx
import pytest
from cryptography import x509

from idp.signing.errors import SignatureCreationError
from idp.signing.ltv import http_sources
from idp.signing.revocation import (
    HttpRevocationSource,
    LocalRevocationSource,
    collect_revocation,
)
from tests.idp.signing.conftest import Live

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")


def tsa_chain(live: Live) -> list[x509.Certificate]:
    return list(live.pki.chain("timestamp-authority"))


def local(live: Live) -> LocalRevocationSource:
    return LocalRevocationSource(sessions=live.runtime.sessions, pki=live.pki)


def test_ocsp_for_the_leaf_and_one_crl_per_issuing_ca(live: Live) -> None:
    found = collect_revocation([tsa_chain(live)], source=local(live))
    assert len(found.ocsps) == 1 and len(found.crls) == 1  # TSA by OCSP, services-ca by CRL


@dataclass
class Swapped:
    """A responder that answers about another certificate (or sends garbage)."""

    inner: LocalRevocationSource
    other: x509.Certificate
    garbage: bool = False

    def ocsp(self, certificate: x509.Certificate, issuer: x509.Certificate) -> bytes:
        if self.garbage:
            return b"\x30\x03\x0a\x01\x00"
        return self.inner.ocsp(self.other, issuer)

    def crl(self, certificate: x509.Certificate, issuer: x509.Certificate) -> bytes:
        return self.inner.crl(certificate, issuer)


def test_an_answer_about_another_certificate_is_refused(live: Live) -> None:
    other = live.pki.certificates["services-ca-ocsp"]
    with pytest.raises(SignatureCreationError, match="no status"):
        collect_revocation([tsa_chain(live)], source=Swapped(local(live), other))


def test_a_malformed_ocsp_answer_is_refused(live: Live) -> None:
    source = Swapped(local(live), live.root, garbage=True)
    with pytest.raises(SignatureCreationError):
        collect_revocation([tsa_chain(live)], source=source)


def test_a_chain_not_to_a_trusted_root_is_refused(live: Live) -> None:
    sources = http_sources(tsa_url=live.tsa_url, trust_roots=[live.pki.certificates["citizen-ca"]])
    try:
        with pytest.raises(SignatureCreationError, match="trusted root"):
            sources.chain(live.pki.timestamp_authority)
    finally:
        sources.close()


def _refuse(request: httpx.Request) -> httpx.Response:
    raise httpx.ConnectError("connection refused", request=request)


@pytest.mark.parametrize("handler", [_refuse, lambda request: httpx.Response(503)])
def test_an_unreachable_or_failing_responder_stops_signing(
    live: Live, handler: Callable[[httpx.Request], httpx.Response]
) -> None:
    source = HttpRevocationSource(httpx.Client(transport=httpx.MockTransport(handler)))
    try:
        with pytest.raises(SignatureCreationError, match="revocation service"):
            collect_revocation([tsa_chain(live)], source=source)
    finally:
        source.close()
