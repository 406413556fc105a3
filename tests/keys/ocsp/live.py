"""The pki app on a real uvicorn server on a loopback port, over the shared test PKI."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import uvicorn
from fastapi import FastAPI

from keys.app import create_app
from keys.pki import Pki, load_pki
from onedoor.config import Settings
from onedoor.db import open_database
from onedoor.migrate import upgrade
from onedoor.runtime import Runtime, create_runtime
from tests.keys.conftest import PASSPHRASE
from tests.support.ports import free_port, wait_for_http


@dataclass(frozen=True)
class LivePki:
    base_url: str  # ends in /pki
    runtime: Runtime
    pki: Pki


@contextmanager
def live_pki(shared: Settings, folder: Path) -> Iterator[LivePki]:
    """Serve the PKI in ``shared.keys_dir`` with its own SQLite register in ``folder``."""
    port = free_port()
    settings = Settings(
        state_dir=shared.state_dir,
        key_passphrase=PASSPHRASE,
        base_url=f"http://127.0.0.1:{port}",
        database_url=f"sqlite:///{folder / 'pki.db'}",
    )
    engine = open_database(settings.database_url)
    upgrade(engine)
    runtime = create_runtime(settings, engine=engine)
    outer = FastAPI()
    outer.mount("/pki", create_app(runtime))
    config = uvicorn.Config(
        outer,
        host="127.0.0.1",
        port=port,
        log_config=None,
        lifespan="off",
        ws="none",
        access_log=False,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        wait_for_http(f"{settings.url_for('pki')}/health")
        yield LivePki(settings.url_for("pki"), runtime, load_pki(settings))
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        engine.dispose()
