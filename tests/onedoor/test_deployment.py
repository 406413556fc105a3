"""docker-compose.yml stays in step with the components ``onedoor serve`` can run."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from onedoor.app import COMPONENT_APPS
from onedoor.cli_serve import Component

ROOT = Path(__file__).resolve().parents[2]


def _compose() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    return data


def test_every_component_runs_as_its_own_service() -> None:
    services = _compose()["services"]
    served = {
        spec["command"][1]
        for spec in services.values()
        if isinstance(spec.get("command"), list) and spec["command"][:1] == ["serve"]
    }
    assert served == {c.value for c in Component} == set(COMPONENT_APPS)


def test_production_shape_uses_postgresql_and_secret_files() -> None:
    compose = _compose()
    assert "postgres" in compose["services"]
    for name, spec in compose["services"].items():
        env = spec.get("environment", {})
        if "ONEDOOR_DATABASE_URL" in env:
            assert env["ONEDOOR_DATABASE_URL"].startswith("postgresql"), name
            assert env["ONEDOOR_ENVIRONMENT"] == "production", name
            assert "ONEDOOR_KEY_PASSPHRASE" not in env, f"{name}: passphrase inline"


def test_dockerfile_copies_every_package() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    for package in ("onedoor", "idp", "exchange", "registries", "keys", "portal", "schemas"):
        assert f"COPY {package} " in dockerfile
