"""docker-compose.yml stays in step with the components ``onedoor serve`` can run."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from typer.testing import CliRunner

from exchange.topology.members import DEFAULT_MEMBERS
from onedoor.app import COMPONENT_APPS
from onedoor.cli import app
from onedoor.cli_serve import WEB_COMPONENTS, Component

ROOT = Path(__file__).resolve().parents[2]


def _compose() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    return data


def _served(services: dict[str, Any]) -> dict[str, list[str]]:
    """Service name -> its ``serve`` arguments, for every service running ``onedoor serve``."""
    return {
        name: spec["command"][1:]
        for name, spec in services.items()
        if isinstance(spec.get("command"), list) and spec["command"][:1] == ["serve"]
    }


def _option(arguments: list[str], name: str) -> str:
    return arguments[arguments.index(name) + 1]


def test_every_component_runs_as_its_own_service() -> None:
    served = _served(_compose()["services"])
    assert {arguments[0] for arguments in served.values()} == {c.value for c in Component}
    assert WEB_COMPONENTS == set(COMPONENT_APPS)


def test_every_member_has_a_gateway_and_the_provider_is_replicated() -> None:
    services = _compose()["services"]
    gateways = {
        _option(arguments, "--member"): name
        for name, arguments in _served(services).items()
        if arguments[0] == "gateway"
    }
    assert set(gateways) == {str(spec.member) for spec in DEFAULT_MEMBERS}
    for member, name in gateways.items():
        arguments = _served(services)[name]
        assert _option(arguments, "--client-port") != _option(arguments, "--peer-port"), member
    provider = gateways["LA/GOV/MOHA"]
    assert services[provider]["deploy"]["replicas"] >= 2


def test_two_event_workers() -> None:
    services = _compose()["services"]
    workers = [name for name, args in _served(services).items() if args[0] == "worker"]
    assert sum(services[name].get("deploy", {}).get("replicas", 1) for name in workers) >= 2


def test_registries_answer_only_gateways() -> None:
    services = _compose()["services"]
    [registries] = [n for n, args in _served(services).items() if args[0] == "registries"]
    assert "ports" not in services[registries]  # no host port: only the gateways reach it
    env = services[registries]["environment"]
    assert env["ONEDOOR_MEMBER_SYSTEM_URL"] == f"http://{registries}:8000"
    assert env["ONEDOOR_CENTRAL_URL"].startswith("http://central:")


def test_setup_service_prepares_what_serve_needs() -> None:
    services = _compose()["services"]
    script = " ".join(services["setup"]["command"])
    for step in ("onedoor db upgrade", "onedoor keys init", "onedoor audit init-keys",
                 "onedoor exchange provision"):
        assert step in script, step
    gateways = [n for n, args in _served(services).items() if args[0] == "gateway"]
    for name in gateways:  # each gateway is provisioned at the address compose gives it
        assert f"=https://{name}:{_option(_served(services)[name], '--peer-port')}" in script
    for name in _served(services):
        assert services[name]["depends_on"]["setup"]["condition"] == (
            "service_completed_successfully"
        )


def test_production_shape_uses_postgresql_and_secret_files() -> None:
    compose = _compose()
    assert "postgres" in compose["services"]
    for name, spec in compose["services"].items():
        env = spec.get("environment", {})
        if "ONEDOOR_DATABASE_URL" in env:
            assert env["ONEDOOR_DATABASE_URL"].startswith("postgresql"), name
            assert env["ONEDOOR_ENVIRONMENT"] == "production", name
            assert "ONEDOOR_KEY_PASSPHRASE" not in env, f"{name}: passphrase inline"


def test_serve_gateway_without_its_member_is_a_clear_error() -> None:
    result = CliRunner().invoke(app, ["serve", "gateway", "--peer-port", "9000"])
    assert result.exit_code != 0
    assert "--member" in str(result.exception) + result.output


def test_dockerfile_copies_every_package() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    for package in ("onedoor", "idp", "exchange", "registries", "keys", "portal", "schemas"):
        assert f"COPY {package} " in dockerfile
