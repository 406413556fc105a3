"""The hierarchy's certificates: chains that openssl accepts, and the right extensions."""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import AuthorityInformationAccessOID, ExtendedKeyUsageOID

from keys.bootstrap import ensure_pki
from keys.errors import UnknownCaError
from keys.layout import (
    CITIZEN_CA,
    ENTITIES,
    ISSUING_CAS,
    ORGANISATION_CA,
    ROOT_CA,
    SERVICES_CA,
    TIMESTAMP_AUTHORITY,
    ocsp_responder_name,
)
from keys.pki import Pki, load_pki
from tests.keys.conftest import BASE_URL, make_settings, openssl, openssl_verify, write_pem

E = TypeVar("E", bound=x509.ExtensionType)
NON_ROOT = [spec.name for spec in ENTITIES if not spec.is_root]


@pytest.mark.parametrize("name", NON_ROOT)
def test_openssl_verifies_every_certificate_up_to_the_root(
    shared_pki: Pki, tmp_path: Path, name: str
) -> None:
    chain = shared_pki.chain(name)
    result = openssl_verify(tmp_path, root=shared_pki.root, chain=chain[1:-1], leaf=chain[0])
    assert result.returncode == 0, result.stderr.decode()
    assert b": OK" in result.stdout


def test_openssl_refuses_a_certificate_without_its_issuing_ca(
    shared_pki: Pki, tmp_path: Path
) -> None:
    leaf = shared_pki.certificates[TIMESTAMP_AUTHORITY]
    result = openssl_verify(tmp_path, root=shared_pki.root, chain=[], leaf=leaf)
    assert result.returncode != 0


def test_openssl_refuses_a_chain_under_the_wrong_issuing_ca(
    shared_pki: Pki, tmp_path: Path
) -> None:
    leaf = shared_pki.certificates[TIMESTAMP_AUTHORITY]
    wrong = [shared_pki.ca_certificate(ORGANISATION_CA)]
    result = openssl_verify(tmp_path, root=shared_pki.root, chain=wrong, leaf=leaf)
    assert result.returncode != 0


def _ext(certificate: x509.Certificate, kind: type[E]) -> x509.Extension[E]:
    return certificate.extensions.get_extension_for_class(kind)


def test_root_is_a_self_signed_p384_ca(shared_pki: Pki) -> None:
    root = shared_pki.root
    assert root.subject == root.issuer
    constraints = _ext(root, x509.BasicConstraints)
    assert constraints.critical and constraints.value.ca
    usage = _ext(root, x509.KeyUsage)
    assert usage.critical and usage.value.key_cert_sign and usage.value.crl_sign
    assert not usage.value.digital_signature
    assert _ext(root, x509.SubjectKeyIdentifier).value.digest
    public_key = root.public_key()
    assert isinstance(public_key, ec.EllipticCurvePublicKey)
    assert public_key.curve.name == "secp384r1"


@pytest.mark.parametrize("ca", ISSUING_CAS)
def test_issuing_cas_may_only_issue_end_entities(shared_pki: Pki, ca: str) -> None:
    certificate = shared_pki.ca_certificate(ca)
    constraints = _ext(certificate, x509.BasicConstraints)
    assert constraints.critical and constraints.value.ca
    assert constraints.value.path_length == 0
    usage = _ext(certificate, x509.KeyUsage)
    assert usage.critical and usage.value.key_cert_sign and usage.value.crl_sign


@pytest.mark.parametrize("name", NON_ROOT)
def test_every_non_root_certificate_points_at_its_issuer(shared_pki: Pki, name: str) -> None:
    spec = next(spec for spec in ENTITIES if spec.name == name)
    certificate = shared_pki.certificates[name]
    issuer = shared_pki.certificates[spec.issuer]
    aki = _ext(certificate, x509.AuthorityKeyIdentifier).value
    assert aki.key_identifier == _ext(issuer, x509.SubjectKeyIdentifier).value.digest
    access = {
        (d.access_method, d.access_location.value)
        for d in _ext(certificate, x509.AuthorityInformationAccess).value
    }
    assert (
        AuthorityInformationAccessOID.CA_ISSUERS,
        f"{BASE_URL}/pki/ca/{spec.issuer}.cer",
    ) in access
    points = _ext(certificate, x509.CRLDistributionPoints).value
    assert [n.value for p in points for n in p.full_name] == [
        f"{BASE_URL}/pki/crl/{spec.issuer}.crl"
    ]
    if spec.issuer != ROOT_CA:  # end entities are also checked by OCSP
        assert (
            AuthorityInformationAccessOID.OCSP,
            f"{BASE_URL}/pki/ocsp/{spec.issuer}",
        ) in access


def test_timestamp_authority_is_for_timestamping_only(shared_pki: Pki) -> None:
    certificate = shared_pki.timestamp_authority
    eku = _ext(certificate, x509.ExtendedKeyUsage)
    assert eku.critical and list(eku.value) == [ExtendedKeyUsageOID.TIME_STAMPING]
    usage = _ext(certificate, x509.KeyUsage).value
    assert usage.digital_signature and usage.content_commitment and not usage.key_cert_sign
    assert certificate.issuer == shared_pki.ca_certificate(SERVICES_CA).subject


@pytest.mark.parametrize("ca", ISSUING_CAS)
def test_each_issuing_ca_has_a_delegated_ocsp_responder(shared_pki: Pki, ca: str) -> None:
    responder = shared_pki.ocsp_responder(ca)
    assert responder.issuer == shared_pki.ca_certificate(ca).subject
    assert list(_ext(responder, x509.ExtendedKeyUsage).value) == [ExtendedKeyUsageOID.OCSP_SIGNING]
    _ext(responder, x509.OCSPNoCheck)
    assert not _ext(responder, x509.BasicConstraints).value.ca


def test_openssl_text_shows_the_profiles(shared_pki: Pki, tmp_path: Path) -> None:
    def text(name: str) -> str:
        pem = write_pem(tmp_path / f"{name}.pem", [shared_pki.certificates[name]])
        result = openssl("x509", "-noout", "-text", "-in", str(pem))
        assert result.returncode == 0
        return result.stdout.decode()

    tsa = text(TIMESTAMP_AUTHORITY)
    assert "X509v3 Extended Key Usage: critical\n                Time Stamping" in tsa
    assert "Digital Signature, Non Repudiation" in tsa
    ocsp = text(ocsp_responder_name(CITIZEN_CA))
    assert "OCSP Signing" in ocsp and "OCSP No Check" in ocsp
    assert f"OCSP - URI:{BASE_URL}/pki/ocsp/{CITIZEN_CA}" in ocsp
    root = text(ROOT_CA)
    assert "CA:TRUE" in root and "Certificate Sign, CRL Sign" in root
    assert "ASN1 OID: secp384r1" in root
    issuing = text(ORGANISATION_CA)
    assert "CA:TRUE, pathlen:0" in issuing


def test_openssl_accepts_ocsp_responder_and_tsa_for_their_purposes(
    shared_pki: Pki, tmp_path: Path
) -> None:
    chain = shared_pki.chain(TIMESTAMP_AUTHORITY)
    result = openssl_verify(
        tmp_path, root=shared_pki.root, chain=chain[1:-1], leaf=chain[0], purpose="timestampsign"
    )
    assert result.returncode == 0, result.stderr.decode()
    result = openssl_verify(
        tmp_path, root=shared_pki.root, chain=chain[1:-1], leaf=chain[0], purpose="sslserver"
    )
    assert result.returncode != 0


def test_unknown_ca_names_are_refused(shared_pki: Pki) -> None:
    with pytest.raises(UnknownCaError):
        shared_pki.ca_certificate(TIMESTAMP_AUTHORITY)
    with pytest.raises(UnknownCaError):
        shared_pki.ocsp_responder(ROOT_CA)
    with pytest.raises(UnknownCaError):
        shared_pki.chain("../root-ca")


def test_a_lookalike_pki_cannot_issue_under_our_root(shared_pki: Pki, tmp_path: Path) -> None:
    """Same names, other keys: a forged organisation CA's certificates are refused."""
    forged_settings = make_settings(tmp_path / "forged")
    ensure_pki(forged_settings)
    forged = load_pki(forged_settings)
    responder = forged.ocsp_responder(ORGANISATION_CA)
    result = openssl_verify(
        tmp_path,
        root=shared_pki.root,
        chain=[forged.ca_certificate(ORGANISATION_CA)],
        leaf=responder,
    )
    assert result.returncode != 0
    result = openssl_verify(
        tmp_path,
        root=shared_pki.root,
        chain=[shared_pki.ca_certificate(ORGANISATION_CA)],
        leaf=responder,
    )
    assert result.returncode != 0
