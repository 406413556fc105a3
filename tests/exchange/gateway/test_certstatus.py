"""Peer certificate status over OCSP with the real PKI: good answers cached, revoked and unknown
refused, forged, replayed and stale answers refused, an unreachable responder fails closed."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509 import ocsp
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from exchange.gateway.certstatus import OcspStatusChecker
from exchange.gateway.errors import (
    CertificateRevokedError,
    CertificateStatusUnavailableError,
    CertificateStatusUnknownError,
    InvalidOcspResponseError,
)
from exchange.gateway.ocspclient import build_request
from exchange.topology.ocsp import LocalOcspTransport
from keys.bootstrap import ensure_pki
from keys.issuance import issue_member_tls_certificate
from keys.layout import ORGANISATION_CA, ocsp_responder_name
from keys.pki import Pki, load_pki
from keys.registry import record_pki_certificates, revoke_certificate
from onedoor.config import Settings
from onedoor.db import open_database, transaction
from onedoor.migrate import upgrade
from onedoor.runtime import Runtime, create_runtime
from tests.exchange.gateway.pki import Issued, make_ca, make_leaf

NONCE = b"0123456789abcdef"
START = datetime.now(UTC).replace(microsecond=0)


@dataclass
class Clock:
    now: datetime = START

    def __call__(self) -> datetime:
        return self.now


@dataclass
class Responder:
    """The PKI's responder, which can be taken down, or replaced by an attacker's answers."""

    inner: LocalOcspTransport
    up: bool = True
    forged: bytes | None = None
    calls: list[str] = field(default_factory=list)

    def fetch(self, url: str, request: bytes) -> bytes:
        self.calls.append(url)
        if not self.up:
            raise CertificateStatusUnavailableError("OCSP responder unreachable (ConnectError)")
        return self.forged if self.forged is not None else self.inner.fetch(url, request)


@dataclass(frozen=True)
class Setup:
    runtime: Runtime
    pki: Pki
    issuer: x509.Certificate


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Setup]:
    folder: Path = tmp_path_factory.mktemp("ocsp")
    settings = Settings(state_dir=folder / "var", key_passphrase="ocsp test",
                        database_url=f"sqlite:///{folder / 'pki.db'}")
    ensure_pki(settings)
    engine = open_database(settings.database_url)
    upgrade(engine)
    runtime = create_runtime(settings, engine=engine)
    pki = load_pki(settings)
    with transaction(runtime.sessions) as session:
        record_pki_certificates(session=session, pki=pki)
    yield Setup(runtime, pki, pki.ca_certificate(ORGANISATION_CA))
    engine.dispose()


def member_certificate(setup: Setup) -> x509.Certificate:
    with transaction(setup.runtime.sessions) as session:
        return issue_member_tls_certificate(
            session=session, pki=setup.pki, member_id="LA/GOV/MOF", member_name="Finance",
            public_key=ec.generate_private_key(ec.SECP256R1()).public_key(),
            hosts=["127.0.0.1"],
        )


def checker(setup: Setup, clock: Clock) -> tuple[OcspStatusChecker, Responder]:
    responder = Responder(LocalOcspTransport(setup.runtime.sessions, setup.pki, clock=clock))
    return OcspStatusChecker(transport=responder, clock=clock, nonce=lambda: NONCE), responder


def revoke(setup: Setup, certificate: x509.Certificate) -> None:
    with transaction(setup.runtime.sessions) as session:
        revoke_certificate(
            session=session, issuer=ORGANISATION_CA, serial_number=certificate.serial_number,
            reason=x509.ReasonFlags.key_compromise,
        )


def test_good_status_is_cached_until_max_age_even_while_the_responder_is_down(
    setup: Setup,
) -> None:
    clock = Clock()
    check, responder = checker(setup, clock)
    certificate = member_certificate(setup)
    check(certificate, setup.issuer)
    check(certificate, setup.issuer)
    assert len(responder.calls) == 1
    assert responder.calls[0] == setup.pki.urls.ocsp(ORGANISATION_CA)  # from the AIA
    assert check.cached_until(certificate) == START + timedelta(minutes=20)
    responder.up = False
    clock.now = START + timedelta(minutes=19)
    check(certificate, setup.issuer)
    clock.now = START + timedelta(minutes=20)
    with pytest.raises(CertificateStatusUnavailableError) as refused:
        check(certificate, setup.issuer)
    assert "no fresh OCSP status" in refused.value.message
    responder.up = True
    check(certificate, setup.issuer)


def test_a_revocation_is_seen_once_the_cached_answer_expires(setup: Setup) -> None:
    clock = Clock()
    check, _ = checker(setup, clock)
    certificate = member_certificate(setup)
    check(certificate, setup.issuer)
    revoke(setup, certificate)
    clock.now = START + timedelta(minutes=21)
    with pytest.raises(CertificateRevokedError) as refused:
        check(certificate, setup.issuer)
    assert refused.value.xroad_code == "CertificateRevoked"
    with pytest.raises(CertificateRevokedError):
        check(certificate, setup.issuer)  # a revoked answer is never turned into good


def test_a_certificate_missing_from_the_register_is_unknown(setup: Setup) -> None:
    check, _ = checker(setup, Clock())
    with pytest.raises(CertificateStatusUnknownError):
        check(_unregistered(setup), setup.issuer)


def test_unreachable_responder_without_a_cached_answer_fails_closed(setup: Setup) -> None:
    check, responder = checker(setup, Clock())
    responder.up = False
    with pytest.raises(CertificateStatusUnavailableError):
        check(member_certificate(setup), setup.issuer)


def test_a_certificate_without_an_ocsp_responder_is_refused(setup: Setup) -> None:
    plain = make_leaf("no aia", make_ca("other CA"), tls=True).certificate
    check, responder = checker(setup, Clock())
    with pytest.raises(CertificateStatusUnavailableError):
        check(plain, setup.issuer)
    assert responder.calls == []


def test_answer_signed_by_another_key_is_refused(setup: Setup) -> None:
    certificate = member_certificate(setup)
    attacker = make_ca("attacker CA")
    fake_responder = make_leaf("attacker OCSP", attacker, tls=False)
    forged = _response(
        certificate, setup.issuer,
        signer_certificate=_ocsp_certificate(fake_responder.key, attacker),
        signer_key=fake_responder.key,
    )
    check, responder = checker(setup, Clock())
    responder.forged = forged
    with pytest.raises(InvalidOcspResponseError, match="authorised responder"):
        check(certificate, setup.issuer)
    assert check.cached_until(certificate) is None


def test_a_real_answer_altered_in_transit_is_refused(setup: Setup) -> None:
    certificate = member_certificate(setup)
    check, responder = checker(setup, Clock())
    url = setup.pki.urls.ocsp(ORGANISATION_CA)
    real = responder.inner.fetch(url, build_request(certificate, setup.issuer, nonce=NONCE))
    signature = ocsp.load_der_ocsp_response(real).signature
    responder.forged = real.replace(signature, signature[:-1] + bytes([signature[-1] ^ 1]))
    with pytest.raises(InvalidOcspResponseError, match="signature"):
        check(certificate, setup.issuer)


def test_replayed_stale_and_off_topic_answers_are_refused(setup: Setup) -> None:
    certificate, other = member_certificate(setup), member_certificate(setup)
    key = setup.pki.custody.private_key(ocsp_responder_name(ORGANISATION_CA))
    real = setup.pki.certificates[ocsp_responder_name(ORGANISATION_CA)]
    cases = {
        "nonce": _response(certificate, setup.issuer, real, key, nonce=b"an earlier request"),
        "not fresh": _response(certificate, setup.issuer, real, key,
                               this_update=START - timedelta(hours=2)),
        "this certificate": _response(other, setup.issuer, real, key),
    }
    for reason, forged in cases.items():
        check, responder = checker(setup, Clock())
        responder.forged = forged
        with pytest.raises(InvalidOcspResponseError, match=reason):
            check(certificate, setup.issuer)


def _unregistered(setup: Setup) -> x509.Certificate:
    """Issued with the organisation CA's key behind the register's back (a rogue issuance)."""
    builder = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "rogue")]))
        .issuer_name(setup.issuer.subject)
        .public_key(ec.generate_private_key(ec.SECP256R1()).public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(START - timedelta(days=1)).not_valid_after(START + timedelta(days=1))
        .add_extension(x509.AuthorityInformationAccess([x509.AccessDescription(
            x509.oid.AuthorityInformationAccessOID.OCSP,
            x509.UniformResourceIdentifier(setup.pki.urls.ocsp(ORGANISATION_CA)),
        )]), critical=False)
    )
    return builder.sign(setup.pki.ca_key(ORGANISATION_CA), hashes.SHA256())


def _ocsp_certificate(key: ec.EllipticCurvePrivateKey, issuer: Issued) -> x509.Certificate:
    """A responder certificate with OCSPSigning and nocheck, issued by ``issuer``."""
    ca_certificate, ca_key = issuer.certificate, issuer.key
    return (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "OneDoor OCSP")]))
        .issuer_name(ca_certificate.subject).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(START - timedelta(days=1)).not_valid_after(START + timedelta(days=1))
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.OCSP_SIGNING]), critical=True)
        .add_extension(x509.OCSPNoCheck(), critical=False)
        .sign(ca_key, hashes.SHA256())
    )


def _response(
    certificate: x509.Certificate,
    issuer: x509.Certificate,
    signer_certificate: x509.Certificate,
    signer_key: ec.EllipticCurvePrivateKey,
    *,
    nonce: bytes = NONCE,
    this_update: datetime = START,
) -> bytes:
    response = (
        ocsp.OCSPResponseBuilder()
        .add_response(
            cert=certificate, issuer=issuer, algorithm=hashes.SHA256(),
            cert_status=ocsp.OCSPCertStatus.GOOD, this_update=this_update,
            next_update=this_update + timedelta(hours=1), revocation_time=None,
            revocation_reason=None,
        )
        .responder_id(ocsp.OCSPResponderEncoding.HASH, signer_certificate)
        .certificates([signer_certificate])
        .add_extension(x509.OCSPNonce(nonce), critical=False)
        .sign(signer_key, hashes.SHA256())
    )
    return response.public_bytes(serialization.Encoding.DER)
