"""The central server going down does not stop the exchange while the cached config is valid."""

from __future__ import annotations

from tests.exchange.gateway.world import MOF_APP, World

URL = "/r1/LA/GOV/MOH/REG/persons/persons/7"


def test_central_server_down_serves_from_cache(exchange: World) -> None:
    held = exchange.consumer.globalconf.current()
    exchange.central.up = False
    refreshed = exchange.consumer.globalconf.refresh()  # type: ignore[attr-defined]
    exchange.provider.globalconf.refresh()  # type: ignore[attr-defined]
    assert refreshed.serial == held.serial
    response = exchange.client.get(URL, headers={"X-Road-Client": str(MOF_APP)})
    assert response.status_code == 200
    assert response.json()["person"] == "7"
