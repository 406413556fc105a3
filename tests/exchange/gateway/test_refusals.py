"""Each refusal, from the attacker's side: a clear X-Road-Error and NOTHING at the member system."""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from fastapi.testclient import TestClient

from exchange.gateway.app import create_gateway_app
from exchange.xroad.identifiers import ClientId
from tests.exchange.gateway.pki import build_pki
from tests.exchange.gateway.world import (
    ACME,
    CHECKED,
    MOF,
    MOF_APP,
    MOF_OTHER,
    MOH,
    SCHOOLS,
    UNBOUND,
    World,
    error_type,
)

URL = "/r1/LA/GOV/MOH/REG/persons/persons/42"


def _nothing_reached(world: World) -> None:
    assert world.member_system.calls == []


def test_member_not_granted_is_denied(exchange: World) -> None:
    response = exchange.client.get(URL, headers={"X-Road-Client": str(MOF_OTHER)})
    assert response.status_code == 403
    assert error_type(response) == "Server.ServerProxy.AccessDenied"
    _nothing_reached(exchange)


def test_granted_path_prefix_does_not_open_other_paths(exchange: World) -> None:
    response = exchange.client.get(
        "/r1/LA/GOV/MOH/REG/persons/admin", headers={"X-Road-Client": str(MOF_APP)}
    )
    assert error_type(response) == "Server.ServerProxy.AccessDenied"
    _nothing_reached(exchange)


def test_dot_segments_are_refused(exchange: World) -> None:
    wire = exchange.forge(exchange.keys[MOF], path="/persons/../admin")
    response = exchange.peer_post(exchange.tls_files(exchange.keys[MOF], "mof"), wire)
    assert error_type(response) == "Client.InvalidRequest"
    _nothing_reached(exchange)


def test_unknown_service(exchange: World) -> None:
    response = exchange.client.get(
        "/r1/LA/GOV/MOH/REG/nosuch/x", headers={"X-Road-Client": str(MOF_APP)}
    )
    assert response.status_code == 404
    assert error_type(response) == "Server.ClientProxy.UnknownService"
    _nothing_reached(exchange)


def test_service_in_catalogue_but_not_served_by_the_provider(exchange: World) -> None:
    response = exchange.client.get(
        "/r1/LA/GOV/MOH/REG/unbound/x", headers={"X-Road-Client": str(MOF_APP)}
    )
    assert error_type(response) == "Server.ServerProxy.UnknownService"
    assert str(UNBOUND) in response.json()["message"]
    _nothing_reached(exchange)


def test_missing_client_header(exchange: World) -> None:
    response = exchange.client.get(URL)
    assert response.status_code == 400
    assert error_type(response) == "Client.MissingHeaderField"


def test_client_of_another_member_cannot_use_this_gateway(exchange: World) -> None:
    response = exchange.client.get(URL, headers={"X-Road-Client": "LA/COM/ACME/APP"})
    assert error_type(response) == "Server.ClientProxy.AccessDenied"
    _nothing_reached(exchange)


def test_malformed_client_identifier(exchange: World) -> None:
    response = exchange.client.get(URL, headers={"X-Road-Client": "LA/GOV/MOF;x/APP"})
    assert error_type(response) == "Client.InvalidClientIdentifier"


def test_oversize_body_is_refused_by_the_consumer_gateway(exchange: World) -> None:
    response = exchange.client.post(
        URL, content=b"x" * 70_000, headers={"X-Road-Client": str(MOF_APP)}
    )
    assert response.status_code == 413
    assert error_type(response) == "Client.RequestTooLarge"
    _nothing_reached(exchange)


def test_oversize_envelope_is_refused_by_the_provider_gateway(exchange: World) -> None:
    response = exchange.peer_post(
        exchange.tls_files(exchange.keys[MOF], "mof"), b"x" * 200_000
    )
    assert response.status_code == 413
    assert error_type(response) == "Client.RequestTooLarge"
    _nothing_reached(exchange)


def test_certificate_from_another_ca_fails_the_handshake(exchange: World) -> None:
    intruder = build_pki("Intruder").member(MOF)
    with pytest.raises(httpx.TransportError):
        exchange.peer_post(exchange.tls_files(intruder, "intruder"), exchange.forge(intruder))
    _nothing_reached(exchange)


def test_expired_certificate_fails_the_handshake(exchange: World) -> None:
    now = datetime.now(UTC)
    expired = exchange.pki.member(
        MOF, not_before=now - timedelta(days=30), not_after=now - timedelta(days=1)
    )
    with pytest.raises(httpx.TransportError):
        exchange.peer_post(exchange.tls_files(expired, "expired"), exchange.forge(expired))
    _nothing_reached(exchange)


def test_another_members_valid_certificate_cannot_speak_for_the_sender(exchange: World) -> None:
    wire = exchange.forge(exchange.keys[MOF])
    response = exchange.peer_post(exchange.tls_files(exchange.keys[ACME], "acme"), wire)
    assert error_type(response) == "Server.ServerProxy.SslAuthenticationFailed"
    _nothing_reached(exchange)


def test_tampered_signature(exchange: World) -> None:
    wire = exchange.forge(exchange.keys[MOF])
    head, payload, signature = wire.split(".")
    flipped = ("A" if signature[5] != "A" else "B").join((signature[:5], signature[6:]))
    response = exchange.peer_post(
        exchange.tls_files(exchange.keys[MOF], "mof"), f"{head}.{payload}.{flipped}"
    )
    assert error_type(response) == "Server.ServerProxy.InvalidSignatureValue"
    _nothing_reached(exchange)


def test_tampered_header_breaks_the_signature(exchange: World) -> None:
    original = exchange.forge(exchange.keys[MOF], path="/persons/42")
    changed = exchange.forge(exchange.keys[MOF], path="/persons/43")
    head, _, signature = original.split(".")
    forged = f"{head}.{changed.split('.')[1]}.{signature}"
    response = exchange.peer_post(exchange.tls_files(exchange.keys[MOF], "mof"), forged)
    assert error_type(response) == "Server.ServerProxy.InvalidSignatureValue"
    _nothing_reached(exchange)


def test_message_signed_with_an_unregistered_key(exchange: World) -> None:
    impostor = exchange.pki.member(ClientId("LA", "GOV", "MOF-SHADOW"))
    wire = exchange.forge(impostor, sender=MOF, client=MOF_APP)
    response = exchange.peer_post(exchange.tls_files(exchange.keys[MOF], "mof"), wire)
    assert error_type(response) == "Server.ServerProxy.InvalidSignatureValue"
    _nothing_reached(exchange)


def test_replayed_message_id(exchange: World) -> None:
    tls = exchange.tls_files(exchange.keys[MOF], "mof")
    wire = exchange.forge(exchange.keys[MOF])
    assert exchange.peer_post(tls, wire).status_code == 200
    assert len(exchange.member_system.calls) == 1
    replay = exchange.peer_post(tls, wire)
    assert replay.status_code == 409
    assert error_type(replay) == "Server.ServerProxy.DuplicateMessageId"
    assert len(exchange.member_system.calls) == 1


def test_replayed_message_id_with_a_fresh_signature(exchange: World) -> None:
    tls = exchange.tls_files(exchange.keys[MOF], "mof")
    assert exchange.peer_post(tls, exchange.forge(exchange.keys[MOF], message_id="m-1")).is_success
    again = exchange.peer_post(tls, exchange.forge(exchange.keys[MOF], message_id="m-1"))
    assert error_type(again) == "Server.ServerProxy.DuplicateMessageId"
    assert len(exchange.member_system.calls) == 1


def test_stale_message_is_refused(exchange: World) -> None:
    wire = exchange.forge(exchange.keys[MOF], issued_at=int(time.time()) - 3600)
    response = exchange.peer_post(exchange.tls_files(exchange.keys[MOF], "mof"), wire)
    assert error_type(response) == "Server.ServerProxy.MessageTimeInvalid"
    _nothing_reached(exchange)


def test_body_encrypted_for_another_member(exchange: World) -> None:
    wire = exchange.forge(
        exchange.keys[MOF], method="POST", body=b'{"q":1}',
        recipient_key=exchange.keys[ACME].encryption.public_key(),
    )
    response = exchange.peer_post(exchange.tls_files(exchange.keys[MOF], "mof"), wire)
    assert error_type(response) == "Server.ServerProxy.DecryptionFailed"
    _nothing_reached(exchange)


def test_message_addressed_to_another_member(exchange: World) -> None:
    wire = exchange.forge(exchange.keys[MOF], recipient=ACME)
    response = exchange.peer_post(exchange.tls_files(exchange.keys[MOF], "mof"), wire)
    assert error_type(response) == "Server.ServerProxy.InvalidMessage"
    _nothing_reached(exchange)


def test_provider_schema_validator_refuses_a_nonconforming_body(exchange: World) -> None:
    response = exchange.client.post(
        "/r1/LA/GOV/MOH/REG/checked/x", content=b"bad data",
        headers={"X-Road-Client": str(MOF_APP)},
    )
    assert error_type(response) == "Server.ServerProxy.SchemaValidationFailed"
    _nothing_reached(exchange)
    ok = exchange.client.post(
        "/r1/LA/GOV/MOH/REG/checked/x", content=b"good data",
        headers={"X-Road-Client": str(MOF_APP)},
    )
    assert ok.status_code == 201
    assert CHECKED.service_code == "checked"


def test_provider_down_gives_a_network_error_quickly(exchange: World) -> None:
    started = time.monotonic()
    response = exchange.client.get(
        "/r1/LA/GOV/MOE/EDU/schools/1", headers={"X-Road-Client": str(MOF_APP)}
    )
    assert response.status_code == 502
    assert error_type(response) == "Server.ClientProxy.NetworkError"
    assert time.monotonic() - started < exchange.consumer.peer_timeout + 5
    assert SCHOOLS.provider.member_code == "MOE"


def test_peer_without_client_certificate_is_refused(exchange: World) -> None:
    import ssl

    context = ssl.create_default_context(cadata=exchange.pki.ca_bundle().decode())
    with pytest.raises(httpx.TransportError), httpx.Client(verify=context, timeout=5) as client:
        client.post(exchange.provider_url + "/exchange/v1/message", content=b"x")
    _nothing_reached(exchange)
    assert MOH.member_code == "MOH" and MOF.member_code == "MOF"


def test_provider_gateway_with_a_certificate_not_registered_for_it(exchange: World) -> None:
    # The directory says MOJ's gateway is at this address, but MOH's gateway answers there.
    response = exchange.client.get(
        "/r1/LA/GOV/MOJ/CRT/cases/1", headers={"X-Road-Client": str(MOF_APP)}
    )
    # With TLS 1.3 the provider refuses the client certificate after the client's side of the
    # handshake is done, so the consumer may see only a closed connection.
    assert error_type(response) in {
        "Server.ClientProxy.SslAuthenticationFailed", "Server.ClientProxy.NetworkError"
    }
    _nothing_reached(exchange)


def test_consumer_gateway_with_an_untrusted_certificate_gets_a_tls_error(
    exchange: World,
) -> None:
    intruder = build_pki("Intruder").member(MOF)
    tls = exchange.tls_files(intruder, "intruder-gw")
    config = replace(exchange.consumer, tls=tls)
    with TestClient(create_gateway_app(config)) as client:
        response = client.get(URL, headers={"X-Road-Client": str(MOF_APP)})
    # With TLS 1.3 the provider refuses the client certificate after the client's side of the
    # handshake is done, so the consumer may see only a closed connection.
    assert error_type(response) in {
        "Server.ClientProxy.SslAuthenticationFailed", "Server.ClientProxy.NetworkError"
    }
    _nothing_reached(exchange)


def test_provider_that_never_answers_gives_a_network_error_after_the_timeout(
    exchange: World,
) -> None:
    config = replace(exchange.consumer, peer_timeout=0.5, peer_connect_timeout=0.5)
    with TestClient(create_gateway_app(config)) as client:
        response = client.get(
            "/r1/LA/GOV/MOT/TAX/taxes/1", headers={"X-Road-Client": str(MOF_APP)}
        )
    assert response.status_code == 502
    assert error_type(response) == "Server.ClientProxy.NetworkError"
    assert "in time" in response.json()["message"]
