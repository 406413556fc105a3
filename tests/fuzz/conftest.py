"""One prepared OneDoor for the fuzzers: migrated SQLite file, PKI, a small population."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from fastapi import FastAPI

from exchange.central.directory import init_instance
from exchange.consent.api import current_subject, router
from exchange.consent.sealing import AesGcmSealer
from exchange.consent.signing import LocalConsentKeys
from keys.bootstrap import ensure_pki
from keys.pki import load_pki
from keys.registry import record_pki_certificates
from onedoor.config import Settings
from onedoor.db import open_database, transaction
from onedoor.http import create_component_app
from onedoor.migrate import upgrade
from onedoor.runtime import Runtime, create_runtime
from registries.seed.service import sample_person_ids, seed_population

CITIZEN = "LA-1985-000123"


@pytest.fixture(scope="session")
def fuzz_runtime(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Runtime]:
    """State dir with a PKI, a migrated database, 40 synthetic persons and a central instance."""
    folder = tmp_path_factory.mktemp("fuzz")
    settings = Settings(
        state_dir=folder / "var",
        key_passphrase="fuzzing passphrase",
        database_url=f"sqlite:///{folder / 'onedoor.db'}",
    )
    engine = open_database(settings.database_url)
    runtime = create_runtime(settings, engine=engine)
    ensure_pki(settings)
    upgrade(engine)
    seed_population(engine, persons=40)
    with transaction(runtime.sessions) as session:
        record_pki_certificates(session=session, pki=load_pki(settings))
        init_instance(session, instance="LA", now=datetime.now(UTC))
    yield runtime
    engine.dispose()


@pytest.fixture(scope="session")
def person_ids(fuzz_runtime: Runtime) -> list[str]:
    return sample_person_ids(fuzz_runtime, count=3)


def consent_app(runtime: Runtime, *, subject: str = CITIZEN) -> FastAPI:
    """The consent router on a component app, with ``subject`` signed in."""
    app = create_component_app("consent", runtime, title="OneDoor consent")
    app.include_router(router)
    app.state.consent_keys = LocalConsentKeys(ec.generate_private_key(ec.SECP256R1()))
    app.state.preview_sealer = AesGcmSealer(os.urandom(32))
    app.dependency_overrides[current_subject] = lambda: subject
    return app


@pytest.fixture(scope="session")
def gateway_world(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[object]:
    """The gateway tests' loopback exchange (central, two gateways, a fake member system)."""
    from tests.exchange.gateway.world import build_world

    folder: Path = tmp_path_factory.mktemp("gateway")
    engine = open_database(f"sqlite:///{folder / 'exchange.db'}")
    upgrade(engine)
    yield from build_world(folder, engine)
    engine.dispose()
