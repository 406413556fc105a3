"""The pki web app: CA certificates and fresh CRLs that openssl accepts."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from keys.app import create_app
from keys.bootstrap import ensure_pki
from keys.crl import CRL_VALIDITY, current_crl
from keys.issuance import issue_member_certificates
from keys.layout import CITIZEN_CA, ORGANISATION_CA, ROOT_CA
from keys.pki import Pki
from keys.registry import record_pki_certificates, revoke_certificate
from onedoor.config import Settings
from onedoor.db import open_database, transaction
from onedoor.migrate import upgrade
from onedoor.runtime import Runtime, create_runtime
from tests.keys.conftest import make_settings, openssl, write_pem


@pytest.fixture(scope="module")
def engine(shared_settings: Settings) -> Iterator[Engine]:
    engine = open_database(shared_settings.database_url)
    upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def runtime(shared_settings: Settings, engine: Engine) -> Runtime:
    return create_runtime(shared_settings, engine=engine)


@pytest.fixture(scope="module")
def client(runtime: Runtime) -> Iterator[TestClient]:
    with TestClient(create_app(runtime)) as client:
        yield client


@pytest.fixture(scope="module")
def revoked(runtime: Runtime, shared_pki: Pki) -> x509.Certificate:
    """A member TLS certificate revoked for key compromise (committed)."""
    with transaction(runtime.sessions) as session:
        issued = issue_member_certificates(
            session=session,
            pki=shared_pki,
            member_id="LA/GOV/MOF",
            member_name="Ministry of Finance",
            tls_public_key=ec.generate_private_key(ec.SECP256R1()).public_key(),
            signing_public_key=ec.generate_private_key(ec.SECP256R1()).public_key(),
            hosts=["gw.mof.gov.la"],
        )
        revoke_certificate(
            session=session,
            issuer=ORGANISATION_CA,
            serial_number=issued.tls.serial_number,
            reason=x509.ReasonFlags.key_compromise,
        )
    return issued.tls


def _crl_text(client: TestClient, ca: str, ca_file: Path, folder: Path) -> tuple[int, str]:
    response = client.get(f"/crl/{ca}.crl")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pkix-crl"
    crl_path = folder / f"{ca}.crl"
    crl_path.write_bytes(response.content)
    result = openssl(
        "crl",
        "-inform",
        "DER",
        "-in",
        str(crl_path),
        "-CAfile",
        str(ca_file),
        "-verify",
        "-noout",
        "-text",
    )
    return result.returncode, (result.stdout + result.stderr).decode()


def test_crl_is_signed_by_its_ca_and_lists_the_revoked_certificate(
    client: TestClient, shared_pki: Pki, revoked: x509.Certificate, tmp_path: Path
) -> None:
    ca_file = write_pem(tmp_path / "ca.pem", [shared_pki.ca_certificate(ORGANISATION_CA)])
    status, text = _crl_text(client, ORGANISATION_CA, ca_file, tmp_path)
    assert status == 0, text
    assert "verify OK" in text
    listed = [int(serial, 16) for serial in re.findall(r"Serial Number: ([0-9A-Fa-f]+)", text)]
    assert listed == [revoked.serial_number]
    assert "Key Compromise" in text


def test_crl_does_not_verify_under_another_ca(
    client: TestClient, shared_pki: Pki, revoked: x509.Certificate, tmp_path: Path
) -> None:
    wrong = write_pem(tmp_path / "wrong.pem", [shared_pki.ca_certificate(CITIZEN_CA)])
    status, text = _crl_text(client, ORGANISATION_CA, wrong, tmp_path)
    assert status != 0
    assert "verify OK" not in text


def test_revocation_is_listed_only_by_its_issuer(
    client: TestClient, shared_pki: Pki, revoked: x509.Certificate
) -> None:
    crl = x509.load_der_x509_crl(client.get(f"/crl/{CITIZEN_CA}.crl").content)
    assert crl.is_signature_valid(shared_pki.ca_certificate(CITIZEN_CA).public_key())  # type: ignore[arg-type]
    assert crl.get_revoked_certificate_by_serial_number(revoked.serial_number) is None


def test_openssl_refuses_the_revoked_certificate_with_the_served_crl(
    client: TestClient, shared_pki: Pki, revoked: x509.Certificate, tmp_path: Path
) -> None:
    crls = b"".join(
        x509.load_der_x509_crl(client.get(f"/crl/{ca}.crl").content).public_bytes(
            serialization.Encoding.PEM
        )
        for ca in (ROOT_CA, ORGANISATION_CA)
    )
    (tmp_path / "crls.pem").write_bytes(crls)
    result = openssl(
        "verify",
        "-crl_check_all",
        "-CRLfile",
        str(tmp_path / "crls.pem"),
        "-CAfile",
        str(write_pem(tmp_path / "root.pem", [shared_pki.root])),
        "-untrusted",
        str(write_pem(tmp_path / "ca.pem", [shared_pki.ca_certificate(ORGANISATION_CA)])),
        str(write_pem(tmp_path / "leaf.pem", [revoked])),
    )
    assert result.returncode != 0
    assert b"certificate revoked" in result.stdout + result.stderr


def test_root_crl_lists_a_revoked_issuing_ca(
    runtime: Runtime, shared_pki: Pki, tmp_path: Path
) -> None:
    with runtime.sessions() as session:  # closed without commit: nothing is kept
        record_pki_certificates(session=session, pki=shared_pki)
        serial = shared_pki.ca_certificate(CITIZEN_CA).serial_number
        revoke_certificate(session=session, issuer=ROOT_CA, serial_number=serial)
        crl = current_crl(session=session, pki=shared_pki, ca=ROOT_CA)
    entry = crl.get_revoked_certificate_by_serial_number(serial)
    assert entry is not None
    with pytest.raises(x509.ExtensionNotFound):  # RFC 5280 5.3.1: "unspecified" is left out
        entry.extensions.get_extension_for_class(x509.CRLReason)


def test_crl_times_and_number_follow_the_clock(runtime: Runtime, shared_pki: Pki) -> None:
    first = datetime(2030, 1, 1, 12, 0, 0, tzinfo=UTC)
    with runtime.sessions() as session:
        one = current_crl(session=session, pki=shared_pki, ca=CITIZEN_CA, clock=lambda: first)
        later = first + timedelta(milliseconds=1)
        two = current_crl(session=session, pki=shared_pki, ca=CITIZEN_CA, clock=lambda: later)
    assert one.last_update_utc == first
    assert one.next_update_utc == first + CRL_VALIDITY
    number = one.extensions.get_extension_for_class(x509.CRLNumber).value.crl_number
    assert two.extensions.get_extension_for_class(x509.CRLNumber).value.crl_number > number
    aki = one.extensions.get_extension_for_class(x509.AuthorityKeyIdentifier).value
    ski = shared_pki.ca_certificate(CITIZEN_CA).extensions.get_extension_for_class(
        x509.SubjectKeyIdentifier
    )
    assert aki.key_identifier == ski.value.digest


@pytest.mark.parametrize("ca", [ROOT_CA, ORGANISATION_CA])
def test_ca_certificates_are_served_as_der_and_pem(
    client: TestClient, shared_pki: Pki, ca: str
) -> None:
    der = client.get(f"/ca/{ca}.cer")
    assert der.status_code == 200
    assert der.headers["content-type"] == "application/pkix-cert"
    assert x509.load_der_x509_certificate(der.content) == shared_pki.ca_certificate(ca)
    pem = client.get(f"/ca/{ca}.pem")
    assert pem.status_code == 200
    assert x509.load_pem_x509_certificate(pem.content) == shared_pki.ca_certificate(ca)


@pytest.mark.parametrize(
    "path",
    [
        "/ca/timestamp-authority.cer",
        "/ca/nobody.pem",
        "/crl/organisation-ca-ocsp.crl",
        "/crl/x.crl",
    ],
)
def test_unknown_names_are_not_found(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "unknown_ca"


def test_uninitialised_pki_answers_503_until_initialised(tmp_path: Path) -> None:
    settings = make_settings(tmp_path / "var")
    engine = open_database(settings.database_url)
    upgrade(engine)
    with TestClient(create_app(create_runtime(settings, engine=engine))) as client:
        response = client.get("/ca/root-ca.cer")
        assert response.status_code == 503
        assert response.json()["error"]["code"] == "pki_not_initialised"
        assert str(tmp_path) not in response.text
        assert client.get("/crl/root-ca.crl").status_code == 503
        ensure_pki(settings)
        assert client.get("/ca/root-ca.cer").status_code == 200
        assert client.get("/crl/root-ca.crl").status_code == 200
    engine.dispose()


def test_undecryptable_pki_answers_503_without_revealing_paths(
    shared_settings: Settings, engine: Engine
) -> None:
    wrong = make_settings(shared_settings.state_dir, passphrase="not the passphrase")
    with TestClient(create_app(create_runtime(wrong, engine=engine))) as client:
        response = client.get("/crl/organisation-ca.crl")
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "pki_unavailable"
    assert str(shared_settings.state_dir) not in response.text
