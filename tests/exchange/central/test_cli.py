"""``onedoor exchange`` directory commands, run as an operator would."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from typer.testing import CliRunner

from exchange.central.globalconf import parse_global_configuration
from exchange.central.publisher import build_document
from exchange.cli import app
from exchange.messages.clock import utc_now
from exchange.xroad.identifiers import ClientId, ServiceId
from onedoor.config import get_settings
from onedoor.db import open_database, session_factory
from onedoor.migrate import upgrade
from tests.exchange.gateway.pki import build_pki


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("ONEDOOR_STATE_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("ONEDOOR_DATABASE_URL", url)
    monkeypatch.setenv("ONEDOOR_KEY_PASSPHRASE", "test")
    get_settings.cache_clear()
    engine = open_database(url)
    upgrade(engine)
    engine.dispose()
    yield url
    get_settings.cache_clear()


def run(*args: str) -> str:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output + repr(result.exception)
    return result.output


def test_operator_registers_a_member_a_service_and_a_grant(
    database: str, tmp_path: Path
) -> None:
    pki = build_pki()
    keys = pki.member(ClientId("LA", "GOV", "MOH"))
    files = {
        "tls": keys.tls.pem(), "signing": keys.signing.pem(), "org": pki.org_ca.pem(),
        "enc": keys.encryption.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        ),
    }
    for name, data in files.items():
        (tmp_path / f"{name}.pem").write_bytes(data)
    (tmp_path / "openapi.json").write_text(json.dumps({"openapi": "3.0.3"}))
    run("instance", "init", "LA")
    run("trust", "add-ca", "organisation", str(tmp_path / "org.pem"))
    run("member", "add", "LA/GOV/MOH", "--name", "Ministry of Health",
        "--gateway-url", "https://moh.example:8443", "--tls-cert", str(tmp_path / "tls.pem"),
        "--signing-cert", str(tmp_path / "signing.pem"),
        "--encryption-key", str(tmp_path / "enc.pem"))
    run("member", "add-subsystem", "LA/GOV/MOH/REG")
    run("service", "add", "LA/GOV/MOH/REG/persons", "--title", "Persons",
        "--openapi", str(tmp_path / "openapi.json"))
    out = run("grant", "LA/GOV/MOH/REG/persons", "LA/GOV/MOH/REG", "--method", "GET",
              "--path-prefix", "/persons")
    assert "granted GET /persons" in out
    engine = open_database(database)
    with session_factory(engine)() as session:
        conf = parse_global_configuration(build_document(session, now=utc_now()))
    engine.dispose()
    service = conf.service(ServiceId(ClientId("LA", "GOV", "MOH", "REG"), "persons"))
    assert service.openapi == {"openapi": "3.0.3"}
    assert [r.subject for r in service.access] == ["LA/GOV/MOH/REG"]
    assert "revoked 1" in run("revoke", "LA/GOV/MOH/REG/persons", "LA/GOV/MOH/REG")


def test_bad_input_is_a_clear_error_not_a_trace(database: str) -> None:
    run("instance", "init", "LA")
    result = CliRunner().invoke(app, ["member", "add-subsystem", "LA/GOV/NOPE/REG"])
    assert result.exit_code != 0
    assert "not registered" in str(result.exception)
    result = CliRunner().invoke(app, ["grant", "LA/GOV:x/MOH/REG/persons", "LA/GOV/MOH"])
    assert "forbidden character" in str(result.exception)
