"""Fixtures: engines disposed after each test, and a second empty database on the same engine."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.registries.transfer.support import Engines, new_database_url


@pytest.fixture
def engines() -> Iterator[Engines]:
    opened = Engines()
    yield opened
    opened.dispose()


@pytest.fixture
def other_database_url(
    empty_database_url: str, request: pytest.FixtureRequest, tmp_path: Path
) -> str:
    return new_database_url(empty_database_url, request, tmp_path)
