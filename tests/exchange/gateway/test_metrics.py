"""GET /metrics: Prometheus text per client and service; callers cannot invent label values."""

from __future__ import annotations

from tests.exchange.gateway.world import MOF_APP, World


def test_served_and_refused_requests_are_counted_per_service(exchange: World) -> None:
    ok = exchange.client.get(
        "/r1/LA/GOV/MOH/REG/persons/persons/42", headers={"X-Road-Client": str(MOF_APP)}
    )
    assert ok.status_code == 200
    for code in ("invented-1", "invented-2"):
        missing = exchange.client.get(
            f"/r1/LA/GOV/MOH/REG/{code}/x", headers={"X-Road-Client": str(MOF_APP)}
        )
        assert missing.status_code == 404
    response = exchange.client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    text = response.text
    assert (
        'onedoor_gateway_requests_total{client="LA/GOV/MOF/APP",outcome="ok",role="consumer",'
        'service="LA/GOV/MOH/REG/persons"}'
    ) in text
    assert (
        'onedoor_gateway_requests_total{client="other",outcome="unknown_service",'
        'role="consumer",service="other"} 2.0'
    ) in text
    assert "invented" not in text
