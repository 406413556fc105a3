"""GET /metrics: Prometheus text per client and service, for the operator only; callers cannot
invent label values."""

from __future__ import annotations

import pytest

from exchange.gateway.app import create_gateway_app
from tests.exchange.gateway.world import METRICS_TOKEN, MOF_APP, World


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
    response = exchange.client.get(
        "/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"}
    )
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


@pytest.mark.parametrize(
    "authorization",
    [None, "Bearer ", "Bearer not-the-operator-credential", f"Basic {METRICS_TOKEN}",
     f"Bearer {METRICS_TOKEN}x"],
)
def test_metrics_refuse_a_caller_without_the_operator_credential(
    exchange: World, authorization: str | None
) -> None:
    headers = {"Authorization": authorization} if authorization is not None else {}
    response = exchange.client.get("/metrics", headers=headers)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert response.json()["error"]["code"] == "operator_credential_required"
    assert "onedoor_gateway" not in response.text


def test_without_an_operator_credential_metrics_are_not_served(exchange: World) -> None:
    app = create_gateway_app(exchange.consumer)
    assert "/metrics" not in {getattr(route, "path", "") for route in app.routes}
