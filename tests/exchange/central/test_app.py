"""The central server publishes a signed global configuration and listClients over HTTP."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from exchange.central.app import create_app, create_central_app
from exchange.central.directory import init_instance
from exchange.central.signer import CentralSigner, load_or_create_signer, self_signed_certificate
from exchange.central.signing import check_fresh, verify_configuration
from exchange.xroad.errors import InvalidGlobalConfError, OutdatedGlobalConfError
from onedoor.config import Settings
from onedoor.db import open_database, transaction
from onedoor.migrate import upgrade
from onedoor.runtime import Runtime, create_runtime
from tests.exchange.gateway.pki import derive_key

NOW = datetime(2026, 3, 1, tzinfo=UTC)


@pytest.fixture
def runtime(tmp_path: Path) -> Runtime:
    settings = Settings(state_dir=tmp_path / "var", key_passphrase="test passphrase")
    engine = open_database(settings.database_url)
    upgrade(engine)
    built = create_runtime(settings, engine=engine)
    with transaction(built.sessions) as session:
        init_instance(session, instance="LA", now=NOW)
    return built


def test_globalconf_is_signed_and_verifies_against_the_anchor(runtime: Runtime) -> None:
    key = derive_key("central test")
    signer = CentralSigner(key=key, certificate=self_signed_certificate(key, now=NOW))
    app = create_central_app(runtime, signer=signer, clock=lambda: NOW,
                             validity=timedelta(hours=2))
    with TestClient(app) as client:
        raw = client.get("/globalconf").content
        assert client.get("/listClients").json() == {"member": []}
    conf = verify_configuration(raw, trust_anchor=signer.certificate)
    assert (conf.instance, conf.expires_at) == ("LA", NOW + timedelta(hours=2))
    check_fresh(conf, now=NOW + timedelta(hours=1))
    with pytest.raises(OutdatedGlobalConfError):
        check_fresh(conf, now=NOW + timedelta(hours=2))
    other = derive_key("other")
    with pytest.raises(InvalidGlobalConfError):
        verify_configuration(raw, trust_anchor=self_signed_certificate(other, now=NOW))


def test_default_app_keeps_its_key_in_the_state_dir(runtime: Runtime) -> None:
    with TestClient(create_app(runtime)) as client:
        raw = client.get("/globalconf").content
        anchor_pem = client.get("/globalconf/anchor").content
    signer = load_or_create_signer(runtime.settings, now=NOW)
    assert verify_configuration(raw, trust_anchor=signer.certificate).instance == "LA"
    assert anchor_pem.startswith(b"-----BEGIN CERTIFICATE-----")
    key_file = runtime.settings.state_dir / "central" / "globalconf-signing.key.pem"
    assert key_file.stat().st_mode & 0o077 == 0
    assert b"ENCRYPTED" in key_file.read_bytes()
