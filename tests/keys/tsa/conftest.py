"""TSA fixtures: the live pki server over the shared test PKI."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from onedoor.config import Settings
from tests.keys.ocsp.live import LivePki, live_pki


@pytest.fixture(scope="module")
def live(shared_settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LivePki]:
    with live_pki(shared_settings, tmp_path_factory.mktemp("tsa-live")) as server:
        yield server
