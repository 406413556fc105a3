"""X-Road Service Metadata Protocol for REST: listClients, listMethods, allowedMethods bodies."""

from __future__ import annotations

from typing import Any

from exchange.central.globalconf import GlobalConfiguration, ServiceEntry
from exchange.xroad.identifiers import ClientId, ServiceId


def client_json(client: ClientId) -> dict[str, str]:
    data = {
        "object_type": client.object_type,
        "xroad_instance": client.instance,
        "member_class": client.member_class,
        "member_code": client.member_code,
    }
    if client.subsystem is not None:
        data["subsystem_code"] = client.subsystem
    return data


def service_json(service: ServiceId) -> dict[str, str]:
    data = {**client_json(service.provider), "object_type": "SERVICE"}
    data["service_code"] = service.service_code
    if service.version is not None:
        data["service_version"] = service.version
    return data


def list_clients(configuration: GlobalConfiguration) -> dict[str, Any]:
    """Every member and subsystem of the instance (``listClients``)."""
    entries: list[dict[str, Any]] = []
    for member_id, member in sorted(configuration.members.items()):
        entries.append({"id": client_json(member_id), "name": member.name})
        for code in sorted(member.subsystems):
            subsystem = ClientId(
                member_id.instance, member_id.member_class, member_id.member_code, code
            )
            entries.append({"id": client_json(subsystem), "name": member.name})
    return {"member": entries}


def list_methods(services: list[ServiceEntry]) -> dict[str, Any]:
    """``listMethods`` / ``allowedMethods``: the services as X-Road service identifiers."""
    return {"service": [service_json(entry.id) for entry in services]}
