"""The production shape scales out: two replicas of a provider gateway behind one member
identity and two life-event workers, each its own ``onedoor serve`` process on PostgreSQL.

Under concurrent requests (spread over both replicas) and a burst of births: every request is
answered once, a message id replayed to the other replica is refused, every event has its
effect exactly once, and the transparency log stays one tree fed by both replicas.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from exchange.events.models import EventsDelivery
from exchange.events.sources import civil_record_registered
from exchange.gateway.confclient import http_fetcher
from exchange.gateway.config import GatewayConfig
from exchange.gateway.models import GwlogRecord
from exchange.gateway.peerclient import PEER_PATH, tls_context
from exchange.messages.envelope import MEDIA_TYPE, seal
from exchange.messages.header import MessageHeader
from exchange.topology.gateways import build_gateway_config
from exchange.topology.keyfiles import load_gateway_keys
from exchange.topology.members import DEFAULT_MEMBERS, find_member
from exchange.topology.serve import central_trust_anchor
from exchange.transparency.keys import load_or_create_log_keys
from exchange.transparency.log import sign_tree_head
from exchange.transparency.models import TlogEntry, TlogHead
from exchange.transparency.verify import verify_log
from exchange.xroad import rest
from exchange.xroad.identifiers import ServiceId, parse_client_id, parse_member_id
from onedoor.db import open_database, session_factory, transaction
from registries.reactions import members as ministries
from registries.reactions.consumer import CONSUMERS
from registries.statistics.models import StatsEventCount
from registries.welfare.models import WelfareChildAllowanceCase
from tests.exchange.events.publisher import birth_record
from tests.scaleout.shape import (
    CONSUMER,
    COUPLES,
    PROVIDER,
    RunningShape,
    request_headers,
    start_shape,
)
from tests.support.postgres import PostgresServer

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

THREADS = 6
REQUESTS_PER_THREAD = 12
DIRECT_THREADS = 2
BIRTHS = 60
BIRTH_SUBSCRIBERS = (
    ministries.FAMILYBOOK, ministries.WELFARE, ministries.HEALTH, ministries.EDUCATION,
    ministries.STATISTICS,
)
SERVICE = ServiceId(parse_client_id(PROVIDER + "/civil"), "person")


@dataclass
class Loaded:
    shape: RunningShape
    sessions: sessionmaker[Session]
    through_consumer: list[tuple[str, int, str]] = field(default_factory=list)
    direct: dict[int, list[int]] = field(default_factory=dict)


@pytest.fixture(scope="module")
def shape(
    postgres_server: PostgresServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningShape]:
    folder = tmp_path_factory.mktemp("scaleout")
    database_url = postgres_server.create_database(f"scaleout_{uuid.uuid4().hex[:12]}")
    running = start_shape(folder, database_url, provider_replicas=2, workers=2)
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture(scope="module")
def loaded(shape: RunningShape) -> Iterator[Loaded]:
    """Concurrent requests, through the consumer gateway (the balancer spreads its connections)
    and sealed directly to each replica in turn, while a burst of births is registered."""
    engine = open_database(shape.prepared.settings.database_url)
    result = Loaded(shape=shape, sessions=session_factory(engine))
    url = f"http://127.0.0.1:{shape.consumer_port}/r1/{SERVICE}/{shape.prepared.person}"
    headers = request_headers(shape.prepared)
    lock = threading.Lock()
    config = _consumer_config(result)

    def through_consumer() -> None:
        with httpx.Client(timeout=60) as client:
            for _ in range(REQUESTS_PER_THREAD):
                message_id = str(uuid.uuid4())
                answer = client.get(url, headers={**headers, rest.MESSAGE_ID: message_id})
                echoed = answer.headers.get(rest.MESSAGE_ID, "")
                with lock:
                    result.through_consumer.append((message_id, answer.status_code, echoed))

    def alternately() -> None:
        for number in range(REQUESTS_PER_THREAD):
            port = shape.replica_peer_ports[number % 2]
            answer = _post_sealed(result, config, port, str(uuid.uuid4()))
            with lock:
                result.direct.setdefault(port, []).append(answer.status_code)

    def births() -> None:
        for start in range(0, BIRTHS, 10):
            with transaction(result.sessions) as session:
                for number in range(start, start + 10):
                    civil_record_registered(
                        session, kind="birth", record=birth_record(number, COUPLES)
                    )

    threads = [threading.Thread(target=through_consumer) for _ in range(THREADS)]
    threads += [threading.Thread(target=alternately) for _ in range(DIRECT_THREADS)]
    threads.append(threading.Thread(target=births))
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=180)
        _wait_delivered(result)
        yield result
    finally:
        config.close()
        engine.dispose()


def _wait_delivered(loaded: Loaded, timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    expected = BIRTHS * len(BIRTH_SUBSCRIBERS)
    states: Counter[str] = Counter()
    while time.monotonic() < deadline:
        loaded.shape.processes.check_alive()
        with transaction(loaded.sessions) as session:
            states = Counter(session.scalars(select(EventsDelivery.state)).all())
        if sum(states.values()) == expected and set(states) == {"delivered"}:
            return
        time.sleep(0.3)
    raise AssertionError(f"deliveries not done: {dict(states)}")


def _consumer_config(loaded: Loaded) -> GatewayConfig:
    """LA/GOV/MOLSW's gateway configuration, to seal messages as it would."""
    settings = loaded.shape.prepared.settings
    spec = find_member(DEFAULT_MEMBERS, parse_member_id("LA/GOV/MOLSW"))
    return build_gateway_config(
        settings, spec=spec, keys=load_gateway_keys(settings, spec), members=DEFAULT_MEMBERS,
        sessions=loaded.sessions,
        fetch=http_fetcher(f"http://127.0.0.1:{loaded.shape.central_port}/globalconf"),
        trust_anchor=central_trust_anchor(settings),
    )


def _sealed_request(loaded: Loaded, config: GatewayConfig, message_id: str) -> str:
    configuration = config.globalconf.current()
    provider = configuration.member(parse_member_id(PROVIDER))
    prepared = loaded.shape.prepared
    header = MessageHeader(
        kind="request", message_id=message_id, sender=config.member, recipient=provider.id,
        client=parse_client_id(CONSUMER), service=SERVICE,
        issued_at=int(config.clock().timestamp()), method="GET", path=f"/{prepared.person}",
        headers={k: v for k, v in request_headers(prepared).items() if k != rest.CLIENT},
    )
    return seal(
        header=header, body=b"", signing_key=config.signing_key,
        signing_certificate=config.signing_certificate, recipient_key=provider.encryption_key,
    )


def _post(config: GatewayConfig, port: int, wire: str, message_id: str) -> httpx.Response:
    context = tls_context(config, config.globalconf.current())
    with httpx.Client(verify=context, timeout=60, trust_env=False) as client:
        return client.post(
            f"https://127.0.0.1:{port}{PEER_PATH}", content=wire.encode(),
            headers={rest.MESSAGE_ID: message_id, "Content-Type": MEDIA_TYPE},
        )


def _post_sealed(
    loaded: Loaded, config: GatewayConfig, port: int, message_id: str
) -> httpx.Response:
    return _post(config, port, _sealed_request(loaded, config, message_id), message_id)


def test_every_request_is_answered_once(loaded: Loaded) -> None:
    answers = loaded.through_consumer
    assert len(answers) == THREADS * REQUESTS_PER_THREAD
    assert Counter(status for _, status, _ in answers) == {200: len(answers)}
    assert all(sent == echoed for sent, _, echoed in answers)
    sent = {message_id for message_id, _, _ in answers}
    with transaction(loaded.sessions) as session:
        logged = Counter(
            session.scalars(
                select(GwlogRecord.message_id).where(
                    GwlogRecord.gateway == PROVIDER, GwlogRecord.kind == "request"
                )
            ).all()
        )
    assert all(logged[message_id] == 1 for message_id in sent)  # handled once, not twice


def test_both_replicas_answer_requests_sent_to_them_in_turn(loaded: Loaded) -> None:
    assert set(loaded.direct) == set(loaded.shape.replica_peer_ports)
    for statuses in loaded.direct.values():
        assert statuses == [200] * (DIRECT_THREADS * REQUESTS_PER_THREAD // 2)
    assert all(count > 0 for count in loaded.shape.proxy.connections.values())


@pytest.mark.parametrize("first", [0, 1])
def test_a_message_replayed_to_the_other_replica_is_refused(loaded: Loaded, first: int) -> None:
    config = _consumer_config(loaded)
    try:
        message_id = str(uuid.uuid4())
        wire = _sealed_request(loaded, config, message_id)
        ports = loaded.shape.replica_peer_ports
        accepted = _post(config, ports[first], wire, message_id)
        replayed = _post(config, ports[1 - first], wire, message_id)
    finally:
        config.close()
    assert accepted.status_code == 200, accepted.text
    assert rest.ERROR not in accepted.headers
    assert replayed.status_code >= 400
    assert replayed.headers.get(rest.ERROR, "").endswith("DuplicateMessageId"), replayed.text


def test_every_life_event_has_its_effect_exactly_once(loaded: Loaded) -> None:
    with transaction(loaded.sessions) as session:
        for subscriber in BIRTH_SUBSCRIBERS:
            inbox = CONSUMERS[subscriber].inbox
            rows = session.scalar(select(func.count()).select_from(inbox))
            assert rows == BIRTHS, subscriber  # event_id is the inbox key: no duplicate
        cases = session.scalars(select(WelfareChildAllowanceCase.child_id)).all()
        births_counted = session.scalar(
            select(func.sum(StatsEventCount.count)).where(StatsEventCount.event == "birth")
        )
    assert len(cases) == len(set(cases)) == BIRTHS
    assert births_counted == BIRTHS


def test_the_transparency_log_stays_one_tree_fed_by_both_replicas(loaded: Loaded) -> None:
    keys = load_or_create_log_keys(loaded.shape.prepared.settings)
    with transaction(loaded.sessions) as session:
        sign_tree_head(session, signer=keys.signer)
    with transaction(loaded.sessions) as session:
        verified = verify_log(session, verifier=keys.verifier)
        sequences = session.scalars(select(TlogEntry.seq).order_by(TlogEntry.seq)).all()
        heads = session.scalar(select(func.count()).select_from(TlogHead))
    allowed = len(loaded.through_consumer) + sum(len(s) for s in loaded.direct.values())
    assert sequences == list(range(len(sequences)))  # contiguous: no gap, no duplicate
    assert verified.tree_size == len(sequences) >= allowed
    assert heads == 1  # one head row: one tree, never a fork


def test_registries_answer_only_their_gateway(shape: RunningShape) -> None:
    person = shape.prepared.person
    answer = httpx.get(f"http://127.0.0.1:{shape.registries_port}/civil/persons/{person}")
    assert answer.status_code == 401
    assert answer.json()["error"]["code"] == "gateway_credential_required"
