"""Per-hop times of a message, recorded by both gateways and exported with its log rows."""

from __future__ import annotations

import uuid

from exchange.gateway.logcontainer import export_container
from tests.exchange.gateway.world import MOF, MOF_APP, MOH, World


def test_each_hop_of_an_exchange_is_timed_and_exported_per_message(exchange: World) -> None:
    message_id = f"hops-{uuid.uuid4()}"
    response = exchange.client.get(
        "/r1/LA/GOV/MOH/REG/persons/persons/42",
        headers={"X-Road-Client": str(MOF_APP), "X-Road-Id": message_id},
    )
    assert response.status_code == 200
    with exchange.consumer.sessions() as session:
        consumer = export_container(session, gateway=str(MOF), message_id=message_id)
        provider = export_container(session, gateway=str(MOH), message_id=message_id)
    assert len(consumer["records"]) == len(provider["records"]) == 2
    assert list(consumer["hops"]) == list(provider["hops"]) == [message_id]
    mine, theirs = consumer["hops"][message_id], provider["hops"][message_id]
    assert list(mine) == ["client_in", "consumer_out", "consumer_in"]
    assert list(theirs) == ["provider_in", "member_out", "member_in", "provider_out"]
    path = [mine["client_in"], mine["consumer_out"], theirs["provider_in"],
            theirs["member_out"], theirs["member_in"], theirs["provider_out"],
            mine["consumer_in"]]
    assert path == sorted(path)  # one clock on loopback: the hops are in order
    assert all(moment.endswith("Z") for moment in path)


def test_a_refused_request_keeps_the_consumer_hops(exchange: World) -> None:
    message_id = f"hops-{uuid.uuid4()}"
    response = exchange.client.get(
        "/r1/LA/GOV/MOH/REG/unbound/x",
        headers={"X-Road-Client": str(MOF_APP), "X-Road-Id": message_id},
    )
    assert response.status_code == 404
    with exchange.consumer.sessions() as session:
        consumer = export_container(session, gateway=str(MOF), message_id=message_id)
        provider = export_container(session, gateway=str(MOH), message_id=message_id)
    assert list(consumer["hops"][message_id]) == ["client_in", "consumer_out"]
    assert provider["hops"] == {}
