"""Engines disposed after each test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.registries.transfer.support import Engines


@pytest.fixture
def engines() -> Iterator[Engines]:
    opened = Engines()
    yield opened
    opened.dispose()
