"""X-Road Service Metadata Protocol for REST at the gateway: listClients, listMethods,
allowedMethods and getOpenAPI, answered from the verified global configuration."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from exchange.gateway.access import allowed_services
from exchange.gateway.config import GatewayConfig
from exchange.xroad import rest
from exchange.xroad.errors import MissingHeaderError, UnknownServiceError
from exchange.xroad.identifiers import ClientId, ServiceId
from exchange.xroad.metadata import list_clients, list_methods


def list_all_clients(config: GatewayConfig) -> dict[str, Any]:
    return list_clients(config.globalconf.current())


def answer(
    config: GatewayConfig,
    *,
    client: ClientId,
    provider: ClientId,
    name: str,
    query: Mapping[str, str],
) -> dict[str, Any]:
    """The metadata service ``name`` about ``provider``'s services, asked by ``client``."""
    configuration = config.globalconf.current()
    configuration.check_client(client)
    configuration.check_client(provider)
    if name == rest.LIST_METHODS:
        return list_methods(configuration.services_of(provider))
    if name == rest.ALLOWED_METHODS:
        return list_methods(allowed_services(configuration, client=client, provider=provider))
    code = query.get("serviceCode")
    if not code:
        raise MissingHeaderError("getOpenAPI needs the serviceCode query parameter")
    try:
        service = ServiceId(provider, code)
    except ValueError as exc:
        raise UnknownServiceError(f"invalid service code: {exc}") from None
    entry = configuration.service(service)
    if entry.openapi is None:
        raise UnknownServiceError(f"service {service} has no OpenAPI description")
    return dict(entry.openapi)
