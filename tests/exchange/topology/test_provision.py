"""Provisioning: keys stay private and encrypted, certificates come from the organisation CA,
and a second run changes nothing in the directory."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from exchange.central.directory import get_instance
from exchange.messages.clock import utc_now
from exchange.topology import DEFAULT_MEMBERS, load_consent_keys, provision_exchange
from exchange.topology.keyfiles import gateway_folder
from exchange.xroad.identifiers import ClientId
from keys.layout import ORGANISATION_CA
from keys.pki import load_pki
from onedoor.config import Settings
from onedoor.db import open_database
from onedoor.errors import ConfigurationError
from onedoor.migrate import upgrade
from onedoor.runtime import Runtime, create_runtime

MOHA = ClientId("LA", "GOV", "MOHA")


@pytest.fixture
def runtime(tmp_path: Path) -> Runtime:
    engine = open_database(f"sqlite:///{tmp_path / 'onedoor.db'}")
    upgrade(engine)
    settings = Settings(
        state_dir=tmp_path / "var", database_url=str(engine.url), key_passphrase="passphrase"
    )
    return create_runtime(settings, engine=engine)


def urls(port: int) -> dict[ClientId, str]:
    return {spec.member: f"https://127.0.0.1:{port + i}" for i, spec in enumerate(DEFAULT_MEMBERS)}


def serial(runtime: Runtime) -> int:
    with runtime.sessions() as session:
        return get_instance(session).serial


def test_keys_are_private_encrypted_and_certified_by_the_organisation_ca(
    runtime: Runtime,
) -> None:
    topology = provision_exchange(runtime, gateway_urls=urls(9100), now=utc_now())
    folder = gateway_folder(runtime.settings, topology.gateways[MOHA].spec)
    for name in ("tls", "signing", "encryption"):
        path = folder / f"{name}.key.pem"
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert path.read_bytes().startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----")
        with pytest.raises(TypeError):
            serialization.load_pem_private_key(path.read_bytes(), None)
    assert stat.S_IMODE((folder / "message-log.key").stat().st_mode) == 0o600
    organisation = load_pki(runtime.settings).ca_certificate(ORGANISATION_CA)
    keys = topology.gateways[MOHA].keys
    for certificate in (keys.tls_certificate, keys.signing_certificate):
        certificate.verify_directly_issued_by(organisation)
    names = keys.tls_certificate.extensions.get_extension_for_class(
        x509.SubjectAlternativeName
    ).value
    assert "localhost" in names.get_values_for_type(x509.DNSName)


def test_second_run_is_idempotent_and_a_moved_gateway_is_updated(runtime: Runtime) -> None:
    first = provision_exchange(runtime, gateway_urls=urls(9100), now=utc_now())
    before = serial(runtime)
    again = provision_exchange(runtime, gateway_urls=urls(9100), now=utc_now())
    assert serial(runtime) == before
    assert again.gateways[MOHA].keys.tls_certificate == first.gateways[MOHA].keys.tls_certificate
    assert again.trust_anchor == first.trust_anchor
    provision_exchange(runtime, gateway_urls=urls(9200), now=utc_now())
    assert serial(runtime) == before + len(DEFAULT_MEMBERS)


def test_a_member_without_an_address_is_refused(runtime: Runtime) -> None:
    with pytest.raises(ConfigurationError, match="no gateway address"):
        provision_exchange(runtime, gateway_urls={MOHA: "https://127.0.0.1:1"}, now=utc_now())


def test_consent_keys_are_created_once_and_required_in_production(tmp_path: Path) -> None:
    settings = Settings(state_dir=tmp_path / "var", key_passphrase="passphrase")
    first = load_consent_keys(settings)
    assert load_consent_keys(settings).key_id == first.key_id
    production = Settings(
        environment="production", state_dir=tmp_path / "other", key_passphrase="passphrase",
        database_url="postgresql+psycopg://u:p@localhost/db",
    )
    with pytest.raises(ConfigurationError, match="consent signing key is missing"):
        load_consent_keys(production)
