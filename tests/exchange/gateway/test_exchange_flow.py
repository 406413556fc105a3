"""End to end: a consumer fetches a record through two gateways over mutual TLS."""

from __future__ import annotations

import base64
import hashlib

from sqlalchemy import select

from exchange.gateway.messagelog import open_record, record_to_json, verify_rows
from exchange.gateway.models import GwlogRecord
from tests.exchange.gateway.world import MOF_APP, World

URL = "/r1/LA/GOV/MOH/REG/persons/persons/42"


def test_granted_consumer_fetches_a_record_through_two_gateways(exchange: World) -> None:
    response = exchange.client.get(
        URL,
        headers={
            "X-Road-Client": str(MOF_APP), "X-Road-Id": "msg-0001", "X-Road-UserId": "officer-7",
            "X-OneDoor-Purpose": "child-allowance", "X-OneDoor-Consent": "consent-1",
            "X-OneDoor-Subject": "person-42",
        },
    )
    assert response.status_code == 200, response.text
    assert response.json() == {"person": "42", "name": "Test Person"}
    assert response.headers["X-Road-Id"] == "msg-0001"
    assert response.headers["X-Road-Client"] == "LA/GOV/MOF/APP"
    assert response.headers["X-Road-Service"] == "LA/GOV/MOH/REG/persons"
    [call] = exchange.member_system.calls
    assert call.url.path == "/api/persons/42"
    assert call.headers["X-Road-Client"] == "LA/GOV/MOF/APP"
    assert call.headers["X-OneDoor-Purpose"] == "child-allowance"
    assert call.headers["X-OneDoor-Consent"] == "consent-1"
    assert call.headers["X-OneDoor-Subject"] == "person-42"
    assert call.headers["X-Road-UserId"] == "officer-7"


def test_request_hash_is_sha512_of_the_signed_request_as_logged(exchange: World) -> None:
    response = exchange.client.get(URL, headers={"X-Road-Client": str(MOF_APP),
                                                 "X-Road-Id": "msg-hash"})
    assert response.status_code == 200
    with exchange.consumer.sessions() as session:
        row = session.scalars(
            select(GwlogRecord).where(
                GwlogRecord.message_id == "msg-hash", GwlogRecord.gateway == "LA/GOV/MOF",
                GwlogRecord.kind == "request",
            )
        ).one()
        logged = open_record(record_to_json(row), log_key=exchange.consumer.log_key)
    digest = base64.b64encode(hashlib.sha512(logged.wire.encode()).digest()).decode()
    assert response.headers["X-Road-Request-Hash"] == digest


def test_post_body_travels_encrypted_and_comes_back(exchange: World) -> None:
    response = exchange.client.post(
        URL, content=b'{"name":"new"}',
        headers={"X-Road-Client": str(MOF_APP), "Content-Type": "application/json"},
    )
    assert response.status_code == 201
    assert response.content == b'{"name":"new"}'
    assert exchange.member_system.calls[0].content == b'{"name":"new"}'


def test_both_gateways_log_request_and_response_in_a_valid_chain(exchange: World) -> None:
    exchange.client.get(URL, headers={"X-Road-Client": str(MOF_APP), "X-Road-Id": "msg-log"})
    with exchange.consumer.sessions() as session:
        for gateway in ("LA/GOV/MOF", "LA/GOV/MOH"):
            rows = session.scalars(
                select(GwlogRecord).where(GwlogRecord.gateway == gateway)
                .order_by(GwlogRecord.seq)
            ).all()
            kinds = [(r.role, r.kind) for r in rows if r.message_id == "msg-log"]
            assert len(kinds) == 2
            assert {k for _, k in kinds} == {"request", "response"}
            assert verify_rows([record_to_json(r) for r in rows]) == len(rows)
            body = open_record(record_to_json(rows[-1]), log_key=exchange.consumer.log_key).body
            assert b"Test Person" in body
            assert b"Test Person" not in rows[-1].sealed


def test_a_request_the_provider_refuses_is_still_logged_by_the_consumer(exchange: World) -> None:
    response = exchange.client.get(
        "/r1/LA/GOV/MOH/REG/unbound/x",
        headers={"X-Road-Client": str(MOF_APP), "X-Road-Id": "msg-refused-log"},
    )
    assert response.headers["X-Road-Error"] == "Server.ServerProxy.UnknownService"
    with exchange.consumer.sessions() as session:
        rows = session.scalars(
            select(GwlogRecord).where(GwlogRecord.gateway == "LA/GOV/MOF")
            .order_by(GwlogRecord.seq)
        ).all()
        assert [r.kind for r in rows if r.message_id == "msg-refused-log"] == ["request"]
        assert verify_rows([record_to_json(r) for r in rows]) == len(rows)
