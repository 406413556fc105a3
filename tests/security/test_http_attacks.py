"""Attacks through HTTP on the assembled apps: forged forms, another citizen's consent,
oversize bodies and a client that sends half a request and stalls."""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient

from onedoor import cli_serve
from onedoor.app import create_component
from onedoor.runtime import Runtime
from tests.fuzz.conftest import CITIZEN, consent_app
from tests.support.ports import free_port, wait_for_http

BASE = "http://127.0.0.1:8000"
BIG = 16 * 1024 * 1024  # far above every limit: 64 KB gateway bodies, 1 MB forms, OCSP/TSA caps


@pytest.fixture(scope="module")
def portal(fuzz_runtime: Runtime) -> FastAPI:
    outer = FastAPI()
    outer.mount("/portal", create_component("portal", fuzz_runtime))
    return outer


def _portal_posts(portal: FastAPI) -> list[str]:
    mounted = portal.routes[-1].app  # type: ignore[attr-defined]
    paths = [route.path for route in iter_route_contexts(mounted.routes)
             if "POST" in (route.methods or set()) and route.path is not None]
    return [re.sub(r"\{\w+(?::\w+)?\}", "x", path) for path in paths]


def test_the_portal_has_forms_to_protect(portal: FastAPI) -> None:
    assert {"/language", "/logout", "/rating"} <= set(_portal_posts(portal))


def test_every_portal_form_refuses_a_post_without_its_token(portal: FastAPI) -> None:
    with TestClient(portal, base_url=BASE, follow_redirects=False,
                    raise_server_exceptions=False) as client:
        client.get("/portal/")  # a browser session exists, only the token is missing
        for path in _portal_posts(portal):
            for headers in ({"Origin": BASE}, {"Origin": "https://evil.example"}, {}):
                response = client.post(f"/portal{path}", data={"lang": "en", "score": "5"},
                                       headers=headers)
                assert response.status_code == 403, (path, headers, response.status_code)
                assert response.json()["error"]["code"] == "csrf_failed"


@pytest.fixture
def consents(fuzz_runtime: Runtime) -> Iterator[tuple[TestClient, TestClient]]:
    """The owner's client and an attacker's client, each signed in as themselves."""
    owner_app = consent_app(fuzz_runtime, subject=CITIZEN)
    attacker_app = consent_app(fuzz_runtime, subject="LA-1999-000777")
    attacker_app.state.consent_keys = owner_app.state.consent_keys
    with TestClient(owner_app) as owner, TestClient(attacker_app) as attacker:
        yield owner, attacker


def test_a_citizen_cannot_read_or_change_another_citizens_consent(
    consents: tuple[TestClient, TestClient],
) -> None:
    owner, attacker = consents
    not_after = (datetime.now(UTC) + timedelta(days=30)).isoformat()
    given = owner.post("/consents", json={
        "data_consumer": "LA/GOV/MOLSW/welfare", "data_providers": ["LA/GOV/MOHA/civil"],
        "data_items": ["civil.person.name"], "purpose": "child-allowance-eligibility",
        "not_after": not_after,
    })
    assert given.status_code == 201
    consent_id = given.json()["id"]
    assert consent_id not in attacker.get("/consents").text
    for method, path in (("GET", ""), ("GET", "/artefact"), ("POST", "/pause"),
                         ("POST", "/resume"), ("POST", "/withdraw")):
        response = attacker.request(method, f"/consents/{consent_id}{path}")
        assert response.status_code == 404, (method, path)
    assert owner.get(f"/consents/{consent_id}").json()["state"] == "ACTIVE"


def _oversize_targets(runtime: Runtime, gateway_world: Any) -> dict[str, tuple[Any, str]]:
    outer = FastAPI()
    outer.mount("/portal", create_component("portal", runtime))
    return {
        "idp_token": (create_component("idp", runtime), "/token"),
        "pki_ocsp": (create_component("pki", runtime), "/ocsp/organisation-ca"),
        "pki_tsa": (create_component("pki", runtime), "/tsa"),
        "portal_form": (outer, "/portal/language"),
        "consent_json": (consent_app(runtime), "/consents"),
        "gateway_r1": (gateway_world.client.app, "/r1/LA/GOV/MOH/REG/persons/1"),
    }


@pytest.mark.parametrize("target", ["idp_token", "pki_ocsp", "pki_tsa", "portal_form",
                                    "consent_json", "gateway_r1"])
def test_a_body_far_above_the_limits_gets_a_clean_refusal(
    target: str, fuzz_runtime: Runtime, gateway_world: Any
) -> None:
    app, path = _oversize_targets(fuzz_runtime, gateway_world)[target]
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Origin": BASE,
               "X-Road-Client": "LA/GOV/MOF/APP"}
    with TestClient(app, base_url=BASE, raise_server_exceptions=False) as client:
        response = client.post(path, content=b"a=" + b"b" * BIG, headers=headers)
    assert 400 <= response.status_code < 500 or (
        target.startswith("pki") and response.status_code == 200  # protocol-level "malformed"
    ), response.status_code


def _serve_config(runtime: Runtime, monkeypatch: pytest.MonkeyPatch, port: int) -> uvicorn.Config:
    """The uvicorn configuration ``onedoor serve pki`` runs with (captured, not guessed)."""
    captured: dict[str, Any] = {}
    monkeypatch.setattr(cli_serve, "get_settings", lambda: runtime.settings)
    monkeypatch.setattr(cli_serve, "configure_logging", lambda level: None)
    monkeypatch.setattr(cli_serve, "create_runtime", lambda settings: runtime)
    monkeypatch.setattr(uvicorn, "run",
                        lambda app, **kwargs: captured.update(app=app, **kwargs))
    cli_serve.serve(cli_serve.Component.pki, port=port)
    app = captured.pop("app")
    return uvicorn.Config(app, **{**captured, "port": port})


@pytest.mark.slow
def test_a_client_that_stalls_inside_its_headers_is_disconnected(
    fuzz_runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    port = free_port()
    config = _serve_config(fuzz_runtime, monkeypatch, port)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        wait_for_http(f"http://127.0.0.1:{port}/health")
        bound = config.timeout_keep_alive + 5
        with socket.create_connection(("127.0.0.1", port)) as stalled:
            stalled.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # no blank line
            stalled.settimeout(bound)
            started = time.monotonic()
            try:
                closed = stalled.recv(1024) is not None
            except TimeoutError:
                closed = False
            assert closed and time.monotonic() - started < bound
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def test_an_oversize_json_body_is_refused_before_it_is_read(fuzz_runtime: Runtime) -> None:
    with TestClient(consent_app(fuzz_runtime), raise_server_exceptions=False) as client:
        response = client.post("/consents", content=b'{"x": "' + b"b" * BIG + b'"}',
                               headers={"Content-Type": "application/json"})
    assert response.status_code == 413
