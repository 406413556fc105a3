"""Global configuration client: verify, cache, serve offline, refuse forged or expired ones."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from exchange.central.signer import self_signed_certificate
from exchange.central.signing import sign_configuration
from exchange.gateway.confclient import ConfigurationClient
from exchange.xroad.errors import NetworkError, OutdatedGlobalConfError
from tests.exchange.gateway.pki import derive_key

START = datetime(2026, 1, 1, tzinfo=UTC)
KEY = derive_key("central unit")
ANCHOR = self_signed_certificate(KEY, now=START)


def signed(
    serial: int, *, generated: datetime = START, hours: int = 24,
    key: ec.EllipticCurvePrivateKey = KEY,
) -> bytes:
    document = {
        "version": 1, "instance": "LA", "serial": serial,
        "generated_at": generated.isoformat(),
        "expires_at": (generated + timedelta(hours=hours)).isoformat(),
        "trusted_cas": [], "timestamp_authority": None, "members": [], "groups": [],
        "services": [],
    }
    return json.dumps(sign_configuration(document, key=key, certificate=ANCHOR)).encode()


class Central:
    def __init__(self, *documents: bytes) -> None:
        self.documents = list(documents)
        self.up = True

    def fetch(self) -> bytes:
        if not self.up:
            raise NetworkError("central server is unreachable")
        return self.documents[-1]


class Clock:
    def __init__(self) -> None:
        self.now = START + timedelta(minutes=1)

    def __call__(self) -> datetime:
        return self.now


def client(central: Central, clock: Clock, cache: Path) -> ConfigurationClient:
    return ConfigurationClient(
        fetch=central.fetch, trust_anchor=ANCHOR, cache_path=cache, clock=clock,
        refresh_interval=timedelta(minutes=5),
    )


def test_fetches_verifies_and_caches(tmp_path: Path) -> None:
    cache = tmp_path / "globalconf.json"
    conf = client(Central(signed(3)), Clock(), cache).current()
    assert conf.serial == 3 and conf.instance == "LA"
    assert cache.exists()


def test_restart_with_central_down_serves_from_cache(tmp_path: Path) -> None:
    cache, clock = tmp_path / "globalconf.json", Clock()
    central = Central(signed(3))
    client(central, clock, cache).current()
    central.up = False
    clock.now += timedelta(hours=2)
    assert client(central, clock, cache).current().serial == 3


def test_expired_cached_configuration_is_refused(tmp_path: Path) -> None:
    cache, clock = tmp_path / "globalconf.json", Clock()
    central = Central(signed(3))
    running = client(central, clock, cache)
    running.current()
    central.up = False
    clock.now = START + timedelta(hours=25)
    with pytest.raises(OutdatedGlobalConfError):
        running.current()
    with pytest.raises(OutdatedGlobalConfError):
        client(central, clock, cache).current()


def test_configuration_signed_by_another_key_is_refused(tmp_path: Path) -> None:
    forged = signed(9, key=derive_key("attacker"))
    with pytest.raises(OutdatedGlobalConfError, match="signature"):
        client(Central(forged), Clock(), tmp_path / "c.json").current()


def test_forged_update_does_not_replace_the_held_configuration(tmp_path: Path) -> None:
    central, clock = Central(signed(3)), Clock()
    running = client(central, clock, tmp_path / "c.json")
    running.current()
    central.documents.append(signed(9, key=derive_key("attacker")))
    assert running.refresh().serial == 3


def test_tampered_document_is_refused(tmp_path: Path) -> None:
    published = json.loads(signed(3))
    published["document"]["serial"] = 4
    with pytest.raises(OutdatedGlobalConfError, match="signature"):
        client(Central(json.dumps(published).encode()), Clock(), tmp_path / "c.json").current()


def test_freshly_fetched_but_expired_configuration_is_refused(tmp_path: Path) -> None:
    old = signed(3, generated=START - timedelta(days=2))
    with pytest.raises(OutdatedGlobalConfError):
        client(Central(old), Clock(), tmp_path / "c.json").current()


def test_older_serial_is_refused(tmp_path: Path) -> None:
    central, clock = Central(signed(5)), Clock()
    running = client(central, clock, tmp_path / "c.json")
    running.current()
    central.documents.append(signed(4))
    assert running.refresh().serial == 5


def test_tampered_cache_file_is_not_trusted(tmp_path: Path) -> None:
    cache, clock = tmp_path / "globalconf.json", Clock()
    central = Central(signed(3))
    client(central, clock, cache).current()
    published = json.loads(cache.read_bytes())
    published["document"]["serial"] = 99
    cache.write_text(json.dumps(published))
    central.up = False
    with pytest.raises(OutdatedGlobalConfError):
        client(central, clock, cache).current()


def test_refreshes_after_the_interval(tmp_path: Path) -> None:
    central, clock = Central(signed(3)), Clock()
    running = client(central, clock, tmp_path / "c.json")
    running.current()
    central.documents.append(signed(4))
    assert running.current().serial == 3
    clock.now += timedelta(minutes=6)
    assert running.current().serial == 4
