"""Member certificates: issued under the organisation CA, recorded, revocable."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TypeVar

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from sqlalchemy.orm import Session

from keys import profiles
from keys.errors import (
    CertificateAlreadyRevokedError,
    CertificateNotFoundError,
    InvalidCertificateRequestError,
    InvalidMemberIdError,
)
from keys.issuance import (
    MemberCertificates,
    issue_certificate,
    issue_member_certificates,
    issue_service_tls_certificate,
)
from keys.layout import CITIZEN_CA, ORGANISATION_CA, ROOT_CA, SERVICES_CA
from keys.models import GOOD, REVOKED
from keys.pki import Pki
from keys.registry import (
    get_certificate,
    record_pki_certificates,
    revoke_certificate,
    revoked_certificates,
)
from keys.subjects import citizen_subject, member_id_of
from tests.keys.conftest import BASE_URL, openssl_verify

E = TypeVar("E", bound=x509.ExtensionType)
MEMBER = "LA/GOV/MOH"
NOW = datetime(2031, 5, 6, 7, 8, 9, tzinfo=UTC)


def _public_key() -> ec.EllipticCurvePublicKey:
    return ec.generate_private_key(ec.SECP256R1()).public_key()


def _issue(
    session: Session,
    pki: Pki,
    *,
    member: str = MEMBER,
    hosts: Sequence[str] = ("gw.moh.gov.la", "127.0.0.1"),
) -> MemberCertificates:
    return issue_member_certificates(
        session=session,
        pki=pki,
        member_id=member,
        member_name="Ministry of Health",
        tls_public_key=_public_key(),
        signing_public_key=_public_key(),
        hosts=hosts,
        clock=lambda: NOW,
    )


def _ext(certificate: x509.Certificate, kind: type[E]) -> x509.Extension[E]:
    return certificate.extensions.get_extension_for_class(kind)


def test_openssl_verifies_member_tls_and_signing_certificates(
    db_session: Session, shared_pki: Pki, tmp_path: Path
) -> None:
    issued = _issue(db_session, shared_pki)
    assert issued.chain == (shared_pki.ca_certificate(ORGANISATION_CA), shared_pki.root)
    for leaf, purpose in (
        (issued.tls, "sslserver"),
        (issued.tls, "sslclient"),
        (issued.signing, None),
    ):
        result = openssl_verify(
            tmp_path,
            root=shared_pki.root,
            chain=issued.chain[:-1],
            leaf=leaf,
            purpose=purpose,
            at=NOW,
        )
        assert result.returncode == 0, result.stderr.decode()


def test_member_tls_certificate_serves_both_ends_of_mutual_tls(
    db_session: Session, shared_pki: Pki
) -> None:
    tls = _issue(db_session, shared_pki).tls
    assert list(_ext(tls, x509.ExtendedKeyUsage).value) == [
        ExtendedKeyUsageOID.SERVER_AUTH,
        ExtendedKeyUsageOID.CLIENT_AUTH,
    ]
    usage = _ext(tls, x509.KeyUsage)
    assert usage.critical and usage.value.digital_signature and not usage.value.key_cert_sign
    names = _ext(tls, x509.SubjectAlternativeName).value
    assert names.get_values_for_type(x509.DNSName) == ["gw.moh.gov.la"]
    assert [str(ip) for ip in names.get_values_for_type(x509.IPAddress)] == ["127.0.0.1"]
    assert member_id_of(tls) == MEMBER


def test_member_signing_certificate_only_signs(db_session: Session, shared_pki: Pki) -> None:
    signing = _issue(db_session, shared_pki).signing
    usage = _ext(signing, x509.KeyUsage).value
    assert usage.digital_signature
    assert not (usage.content_commitment or usage.key_cert_sign or usage.key_agreement)
    with pytest.raises(x509.ExtensionNotFound):
        _ext(signing, x509.ExtendedKeyUsage)
    assert member_id_of(signing) == MEMBER
    subject = signing.subject
    assert subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "MOH"
    assert subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value == (
        "Ministry of Health"
    )
    points = _ext(signing, x509.CRLDistributionPoints).value
    assert points[0].full_name is not None
    assert points[0].full_name[0].value == f"{BASE_URL}/pki/crl/organisation-ca.crl"


def test_validity_follows_the_injected_clock(db_session: Session, shared_pki: Pki) -> None:
    tls = _issue(db_session, shared_pki).tls
    assert tls.not_valid_before_utc == NOW - timedelta(minutes=5)
    assert tls.not_valid_after_utc == NOW + profiles.MEMBER_TLS.validity


def test_issued_certificates_are_recorded_as_good(db_session: Session, shared_pki: Pki) -> None:
    issued = _issue(db_session, shared_pki)
    for certificate, profile in ((issued.tls, "member_tls"), (issued.signing, "member_signing")):
        record = get_certificate(
            session=db_session, issuer=ORGANISATION_CA, serial_number=certificate.serial_number
        )
        assert record.status == GOOD and record.revoked_at is None
        assert record.profile == profile and record.member_id == MEMBER
        assert x509.load_pem_x509_certificate(record.pem.encode()) == certificate


@pytest.mark.parametrize(
    "member",
    ["LA/GOV", "LA/GOV/MOH/SUB", "LA//MOH", "LA/GOV/M OH", "LA/GOV/MOH_1", "LA/GOV/" + "9" * 70],
)
def test_malformed_member_identifiers_are_refused(
    db_session: Session, shared_pki: Pki, member: str
) -> None:
    with pytest.raises(InvalidMemberIdError) as caught:
        _issue(db_session, shared_pki, member=member)
    assert caught.value.code == "invalid_member_id"
    assert revoked_certificates(session=db_session, issuer=ORGANISATION_CA) == []


@pytest.mark.parametrize("hosts", [[], ["bad_host.example"], ["-x.example"], ["a..b"]])
def test_tls_certificates_need_valid_host_names(
    db_session: Session, shared_pki: Pki, hosts: list[str]
) -> None:
    with pytest.raises(InvalidCertificateRequestError):
        _issue(db_session, shared_pki, hosts=hosts)


def test_weak_keys_are_refused(db_session: Session, shared_pki: Pki) -> None:
    weak = rsa.generate_private_key(public_exponent=65537, key_size=1024).public_key()
    with pytest.raises(InvalidCertificateRequestError, match="too weak"):
        issue_service_tls_certificate(
            session=db_session,
            pki=shared_pki,
            common_name="idp",
            public_key=weak,
            hosts=["idp.onedoor.test"],
        )
    weak_curve = ec.generate_private_key(ec.SECP192R1()).public_key()
    with pytest.raises(InvalidCertificateRequestError, match="unsupported curve"):
        issue_service_tls_certificate(
            session=db_session,
            pki=shared_pki,
            common_name="idp",
            public_key=weak_curve,
            hosts=["idp.onedoor.test"],
        )


@pytest.mark.parametrize(
    ("ca", "profile"),
    [
        (ROOT_CA, profiles.MEMBER_TLS),
        (CITIZEN_CA, profiles.MEMBER_SIGNING),
        (ORGANISATION_CA, profiles.CITIZEN_SIGNING),
        (ORGANISATION_CA, profiles.ISSUING_CA),
        (SERVICES_CA, profiles.MEMBER_TLS),
    ],
)
def test_a_ca_issues_only_its_own_profiles(
    db_session: Session, shared_pki: Pki, ca: str, profile: profiles.Profile
) -> None:
    subject = citizen_subject(person_id="1234", given_name="Noy", family_name="Vongsa")
    with pytest.raises(InvalidCertificateRequestError):
        issue_certificate(
            session=db_session,
            pki=shared_pki,
            ca=ca,
            profile=profile,
            subject=subject,
            public_key=_public_key(),
            hosts=["x.test"],
        )


def test_citizen_signing_profile_carries_non_repudiation(
    db_session: Session, shared_pki: Pki, tmp_path: Path
) -> None:
    subject = citizen_subject(person_id="1234567890", given_name="Noy", family_name="Vongsa")
    certificate = issue_certificate(
        session=db_session,
        pki=shared_pki,
        ca=CITIZEN_CA,
        profile=profiles.CITIZEN_SIGNING,
        subject=subject,
        public_key=_public_key(),
    )
    usage = _ext(certificate, x509.KeyUsage).value
    assert usage.digital_signature and usage.content_commitment
    serial = certificate.subject.get_attributes_for_oid(NameOID.SERIAL_NUMBER)[0].value
    assert serial == "PNOLA-1234567890"
    chain = shared_pki.chain(CITIZEN_CA)
    result = openssl_verify(tmp_path, root=shared_pki.root, chain=chain[:-1], leaf=certificate)
    assert result.returncode == 0, result.stderr.decode()


def test_revocation_is_recorded_once(db_session: Session, shared_pki: Pki) -> None:
    tls = _issue(db_session, shared_pki).tls
    record = revoke_certificate(
        session=db_session,
        issuer=ORGANISATION_CA,
        serial_number=tls.serial_number,
        reason=x509.ReasonFlags.key_compromise,
        clock=lambda: NOW,
    )
    assert (record.status, record.reason) == (REVOKED, "keyCompromise")
    revoked = revoked_certificates(session=db_session, issuer=ORGANISATION_CA)
    assert [r.serial for r in revoked] == [f"{tls.serial_number:x}"]
    with pytest.raises(CertificateAlreadyRevokedError):
        revoke_certificate(
            session=db_session, issuer=ORGANISATION_CA, serial_number=tls.serial_number
        )


def test_revoking_an_unknown_certificate_fails(db_session: Session, shared_pki: Pki) -> None:
    tls = _issue(db_session, shared_pki).tls
    with pytest.raises(CertificateNotFoundError):
        revoke_certificate(session=db_session, issuer=ORGANISATION_CA, serial_number=12345)
    with pytest.raises(CertificateNotFoundError):  # right serial, wrong issuer
        revoke_certificate(session=db_session, issuer=CITIZEN_CA, serial_number=tls.serial_number)


def test_pki_certificates_are_recorded_once(db_session: Session, shared_pki: Pki) -> None:
    assert record_pki_certificates(session=db_session, pki=shared_pki) == 7
    assert record_pki_certificates(session=db_session, pki=shared_pki) == 0
    record = get_certificate(
        session=db_session,
        issuer=SERVICES_CA,
        serial_number=shared_pki.timestamp_authority.serial_number,
    )
    assert record.profile == "timestamping"
