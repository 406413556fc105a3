"""Discovery through the consumer gateway: listClients, listMethods, allowedMethods, getOpenAPI."""

from __future__ import annotations

from tests.exchange.gateway.world import MOF_APP, MOF_OTHER, OPENAPI, World, error_type


def test_list_clients_names_members_and_subsystems(exchange: World) -> None:
    response = exchange.client.get("/listClients")
    assert response.status_code == 200
    ids = [entry["id"] for entry in response.json()["member"]]
    assert {
        "object_type": "SUBSYSTEM", "xroad_instance": "LA", "member_class": "GOV",
        "member_code": "MOH", "subsystem_code": "REG",
    } in ids
    assert {"object_type": "MEMBER", "xroad_instance": "LA", "member_class": "GOV",
            "member_code": "MOF"} in ids


def test_list_methods_shows_every_service_of_the_provider(exchange: World) -> None:
    response = exchange.client.get(
        "/r1/LA/GOV/MOH/REG/listMethods", headers={"X-Road-Client": str(MOF_OTHER)}
    )
    codes = {s["service_code"] for s in response.json()["service"]}
    assert codes == {"persons", "checked", "unbound"}


def test_allowed_methods_shows_only_granted_services(exchange: World) -> None:
    granted = exchange.client.get(
        "/r1/LA/GOV/MOH/REG/allowedMethods", headers={"X-Road-Client": str(MOF_APP)}
    )
    assert {s["service_code"] for s in granted.json()["service"]} == {
        "persons", "checked", "unbound"
    }
    other = exchange.client.get(
        "/r1/LA/GOV/MOH/REG/allowedMethods", headers={"X-Road-Client": str(MOF_OTHER)}
    )
    # MOF_OTHER is covered only by the member-wide group grant, not the APP-only persons grant.
    assert {s["service_code"] for s in other.json()["service"]} == {"checked", "unbound"}


def test_get_openapi(exchange: World) -> None:
    response = exchange.client.get(
        "/r1/LA/GOV/MOH/REG/getOpenAPI?serviceCode=persons",
        headers={"X-Road-Client": str(MOF_APP)},
    )
    assert response.json() == OPENAPI
    missing = exchange.client.get(
        "/r1/LA/GOV/MOH/REG/getOpenAPI?serviceCode=checked",
        headers={"X-Road-Client": str(MOF_APP)},
    )
    assert error_type(missing) == "Server.ClientProxy.UnknownService"
