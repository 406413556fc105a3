"""Concurrent uses of one consent, from separate sessions, never exceed ``max_uses``."""

from __future__ import annotations

import threading
from datetime import timedelta

from exchange.consent.basis import set_service_policy
from exchange.consent.decision import decide
from exchange.consent.models import Consent
from exchange.consent.signing import LocalConsentKeys
from onedoor.db import open_database, session_factory, transaction
from onedoor.migrate import upgrade
from tests.exchange.consent.conftest import CONSUMER, NOW, PURPOSE, SERVICE, SUBJECT, give

MAX_USES = 5
THREADS = 2
ATTEMPTS = 6


def test_concurrent_uses_stop_at_max_uses(empty_database_url: str, keys: LocalConsentKeys) -> None:
    engine = open_database(empty_database_url)
    try:
        upgrade(engine)
        factory = session_factory(engine)
        with transaction(factory) as session:
            set_service_policy(
                session, service=SERVICE, mode="consent", data_items=["civil.person.name"]
            )
            consent_id = give(session, keys, max_uses=MAX_USES).id

        barrier = threading.Barrier(THREADS)
        outcomes: list[bool] = []
        errors: list[BaseException] = []
        lock = threading.Lock()

        def worker() -> None:
            try:
                barrier.wait(timeout=30)
                for _ in range(ATTEMPTS):
                    with transaction(factory) as session:
                        decision = decide(
                            session,
                            consumer=CONSUMER,
                            service=SERVICE,
                            subject=SUBJECT,
                            purpose=PURPOSE,
                            consent_ref=consent_id,
                            data_items=["civil.person.name"],
                            now=NOW + timedelta(hours=1),
                            keys=keys,
                        )
                    with lock:
                        outcomes.append(decision.allowed)
            except BaseException as exc:  # reported to the main thread below
                errors.append(exc)

        threads = [threading.Thread(target=worker) for _ in range(THREADS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        assert errors == []
        assert len(outcomes) == THREADS * ATTEMPTS
        assert outcomes.count(True) == MAX_USES
        with factory() as session:
            stored = session.get(Consent, consent_id)
            assert stored is not None
            assert stored.uses == MAX_USES
    finally:
        engine.dispose()
