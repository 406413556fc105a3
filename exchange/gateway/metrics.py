"""Operational monitoring of a gateway: counts, errors and latency per client and service,
exposed in the Prometheus text format (each gateway has its own registry, not the global one)."""

from __future__ import annotations

from typing import Literal

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

from exchange.xroad.identifiers import ClientId, ServiceId

Role = Literal["consumer", "provider"]
CONTENT_TYPE = CONTENT_TYPE_LATEST
OTHER = "other"
# Seconds; a round trip through two gateways is milliseconds, a slow member system seconds.
BUCKETS = (0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


class GatewayMetrics:
    """Counters and histograms of one gateway (shared by its client and peer apps)."""

    def __init__(self, member: ClientId) -> None:
        self.member = member
        self.registry = CollectorRegistry(auto_describe=True)
        self._requests = Counter(
            "onedoor_gateway_requests", "Requests handled, by outcome (ok or error code).",
            ["role", "client", "service", "outcome"], registry=self.registry,
        )
        self._duration = Histogram(
            "onedoor_gateway_request_duration_seconds",
            "Time from receiving a request to answering it.",
            ["role", "client", "service"], buckets=BUCKETS, registry=self.registry,
        )

    def observe(
        self,
        *,
        role: Role,
        client: ClientId | None,
        service: ServiceId | None,
        outcome: str,
        seconds: float,
        known: bool,
    ) -> None:
        """Record one request; ``known`` says the identifiers were checked against the
        directory (otherwise they are labelled ``other``, so a caller cannot grow the series)."""
        client_label = str(client) if known and client is not None else OTHER
        service_label = str(service) if known and service is not None else OTHER
        self._requests.labels(role, client_label, service_label, outcome).inc()
        self._duration.labels(role, client_label, service_label).observe(seconds)

    def exposition(self) -> bytes:
        """The Prometheus text exposition of this gateway's metrics."""
        return generate_latest(self.registry)
