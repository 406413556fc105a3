"""Fixtures for gateway tests: the loopback exchange (module-scoped) and a clean call record."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from onedoor.db import open_database
from onedoor.migrate import upgrade
from tests.exchange.gateway.world import World, build_world


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    folder = tmp_path_factory.mktemp("exchange")
    engine = open_database(f"sqlite:///{folder / 'exchange.db'}")
    upgrade(engine)
    yield from build_world(folder, engine)
    engine.dispose()


@pytest.fixture
def exchange(world: World) -> World:
    """The world with the member system's call record emptied and the central server up."""
    world.member_system.calls.clear()
    world.central.up = True
    return world
