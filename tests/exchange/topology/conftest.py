"""A demo exchange on loopback: real registries app over HTTP, four gateways provisioned from
the PKI, peer listeners with real mutual TLS, and a recorder that keeps every decision."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session

from exchange.gateway.consentcheck import AccessRecord
from exchange.gateway.tlsserver import BackgroundServer
from exchange.topology import DemoExchange, start_demo_exchange
from onedoor.config import Settings
from onedoor.db import open_database, transaction
from onedoor.migrate import upgrade
from onedoor.runtime import Runtime, create_runtime
from registries.app import create_app as create_registries_app
from registries.familybook import service as familybook
from tests.registries.people import add
from tests.schemas.examples import ADDRESS
from tests.support.ports import free_port

BROKEN = "BROKEN-0001"  # the member system answers an invalid Person for this id
HOUSEHOLD = "HH0000000901"


@dataclass
class MemoryRecorder:
    records: list[AccessRecord] = field(default_factory=list)

    def record(self, session: Session, access: AccessRecord) -> None:
        self.records.append(access)


@dataclass
class MemberSystem:
    """The registries app behind a counter of the requests that reached it."""

    paths: list[str] = field(default_factory=list)


@dataclass
class DemoWorld:
    exchange: DemoExchange
    runtime: Runtime
    recorder: MemoryRecorder
    member_system: MemberSystem
    person: str
    relative: str
    outsider: str


def free_ports(count: int) -> int:
    """A base port with ``count`` consecutive free loopback ports."""
    for _ in range(50):
        base = free_port()
        try:
            for offset in range(count):
                with socket.socket() as sock:
                    sock.bind(("127.0.0.1", base + offset))
        except OSError:
            continue
        return base
    raise RuntimeError("no consecutive free ports")


def member_system_app(runtime: Runtime, system: MemberSystem) -> FastAPI:
    app = FastAPI()
    registries = create_registries_app(runtime)

    @app.middleware("http")
    async def count(request: Request, call_next):  # type: ignore[no-untyped-def]
        system.paths.append(request.url.path)
        if request.url.path.endswith(BROKEN):
            return JSONResponse({"personId": BROKEN, "unexpected": "field"})
        response: Response = await call_next(request)
        return response

    app.mount("/registries", registries)
    return app


def run_demo(folder: Path, **options: Any) -> Iterator[DemoWorld]:
    """A demo world in ``folder``; ``options`` go to ``start_demo_exchange``."""
    engine = open_database(f"sqlite:///{folder / 'onedoor.db'}")
    upgrade(engine)
    port = free_port()
    settings = Settings(
        state_dir=folder / "var", database_url=str(engine.url),
        base_url=f"http://127.0.0.1:{port}", key_passphrase="demo passphrase",
    )
    runtime = create_runtime(settings, engine=engine)
    with transaction(runtime.sessions) as session:
        person = add(session, 901, "F", "1990-05-01").value
        relative = add(session, 902, "M", "2015-07-01").value
        outsider = add(session, 903, "M", "1970-01-01").value
        familybook.create_household(
            session,
            household={
                "householdId": HOUSEHOLD, "version": 1, "headId": person, "address": ADDRESS,
                "members": {"member": [
                    {"personId": person, "relationship": "head", "since": "2010-01-01"},
                    {"personId": relative, "relationship": "child", "since": "2015-07-01"},
                ]},
            },
        )
    system = MemberSystem()
    registries = BackgroundServer(
        uvicorn.Config(member_system_app(runtime, system), host="127.0.0.1", port=port,
                       log_config=None, access_log=False, lifespan="off")
    )
    registries.start()
    recorder = MemoryRecorder()
    try:
        with start_demo_exchange(
            runtime, base_port=free_ports(4), recorder=recorder, **options
        ) as exchange:
            yield DemoWorld(exchange, runtime, recorder, system, person, relative, outsider)
    finally:
        registries.stop()
        engine.dispose()


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoWorld]:
    yield from run_demo(tmp_path_factory.mktemp("demo"))


@pytest.fixture
def world(demo: DemoWorld) -> DemoWorld:
    demo.recorder.records.clear()
    demo.member_system.paths.clear()
    return demo


def error_detail(response: httpx.Response) -> tuple[str, str]:
    body = response.json()
    assert body["type"] == response.headers["X-Road-Error"]
    return body["type"], body["detail"]
