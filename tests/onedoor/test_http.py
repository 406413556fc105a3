"""Every component answers errors with one body shape and exposes /health."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from pydantic import BaseModel
from sqlalchemy import Engine

from onedoor.app import COMPONENT_APPS, create_component, create_demo_app
from onedoor.config import Settings
from onedoor.db import make_engine
from onedoor.errors import NotFoundError
from onedoor.http import create_component_app
from onedoor.runtime import Runtime, create_runtime


@pytest.fixture
def runtime(settings: Settings, migrated_engine: Engine) -> Runtime:
    return create_runtime(settings, engine=migrated_engine)


class Item(BaseModel):
    quantity: int


@pytest.fixture
def client(runtime: Runtime) -> Iterator[TestClient]:
    app = create_component_app("sample", runtime, title="sample")

    @app.get("/missing")
    def missing() -> None:
        raise NotFoundError("no such application")

    @app.post("/items")
    def create(item: Item) -> Item:
        return item

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("secret detail 1234567890")

    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


def test_onedoor_error_becomes_the_standard_body(client: TestClient) -> None:
    response = client.get("/missing")
    assert response.status_code == 404
    assert response.json() == {"error": {"code": "not_found", "message": "no such application"}}


def test_invalid_input_names_the_field(client: TestClient) -> None:
    response = client.post("/items", json={"quantity": "many"})
    assert response.status_code == 422
    body = response.json()["error"]
    assert body["code"] == "invalid_request"
    assert "quantity" in body["message"]


def test_unknown_route_uses_the_standard_body(client: TestClient) -> None:
    response = client.get("/nowhere")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_unexpected_error_reveals_nothing(client: TestClient) -> None:
    response = client.get("/boom")
    assert response.status_code == 500
    assert response.json() == {"error": {"code": "internal_error", "message": "internal error"}}
    assert "secret" not in response.text and "Traceback" not in response.text


@pytest.mark.parametrize("component", sorted(COMPONENT_APPS))
def test_every_component_has_health(runtime: Runtime, component: str) -> None:
    with TestClient(create_component(component, runtime)) as test_client:
        response = test_client.get("/health")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.json()["checks"]["database"] == "ok"


def test_health_reports_an_unreachable_database(settings: Settings) -> None:
    dead = make_engine("postgresql+psycopg://nobody@127.0.0.1:1/none")
    app = create_component_app("sample", create_runtime(settings, engine=dead), title="t")
    with TestClient(app) as test_client:
        response = test_client.get("/health")
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == "unavailable"


def test_demo_app_mounts_every_component(runtime: Runtime) -> None:
    with TestClient(create_demo_app(runtime)) as test_client:
        assert "OneDoor" in test_client.get("/").text
        for _, mount in COMPONENT_APPS.values():
            assert test_client.get(f"{mount}/health").status_code == 200
