"""Issue 5's promise end to end: refused, allowed, refused again after withdrawal, and the
citizen sees all three accesses in a log that verifies, and that names a changed entry."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import uvicorn
from fastapi.testclient import TestClient
from sqlalchemy import update

from exchange.gateway.tlsserver import BackgroundServer
from exchange.topology import start_demo_exchange
from exchange.transparency import keys as log_keys
from exchange.transparency.errors import LogTamperedError
from exchange.transparency.log import sign_tree_head
from exchange.transparency.models import TlogEntry
from exchange.transparency.recorder import NO_USER, TransparencyRecorder
from exchange.transparency.search import search
from exchange.transparency.verify import verify_log
from onedoor.config import Settings
from onedoor.db import open_database, transaction
from onedoor.migrate import upgrade
from onedoor.runtime import Runtime, create_runtime
from tests.exchange.topology.conftest import MemberSystem, free_ports, member_system_app
from tests.exchange.topology.test_demo_exchange import CIVIL, give, headers, withdraw
from tests.registries.people import add
from tests.support.ports import free_port


@dataclass
class Logged:
    client: TestClient
    runtime: Runtime
    keys: log_keys.LogKeys
    person: str
    system: MemberSystem


@pytest.fixture(scope="module")
def logged(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Logged]:
    folder: Path = tmp_path_factory.mktemp("logged")
    engine = open_database(f"sqlite:///{folder / 'onedoor.db'}")
    upgrade(engine)
    port = free_port()
    settings = Settings(
        state_dir=folder / "var", database_url=str(engine.url),
        base_url=f"http://127.0.0.1:{port}", key_passphrase="demo passphrase",
    )
    runtime = create_runtime(settings, engine=engine)
    with transaction(runtime.sessions) as session:
        person = add(session, 911, "F", "1991-03-01").value
    system = MemberSystem()
    registries = BackgroundServer(uvicorn.Config(
        member_system_app(runtime, system), host="127.0.0.1", port=port, log_config=None,
        access_log=False, lifespan="off",
    ))
    registries.start()
    keys = log_keys.load_or_create_log_keys(settings)
    recorder = TransparencyRecorder(keys.pseudonymizer)
    try:
        with start_demo_exchange(runtime, base_port=free_ports(4), recorder=recorder) as exchange:
            with TestClient(exchange.client_apps["LA-GOV-MOLSW"]) as client:
                yield Logged(client, runtime, keys, person, system)
    finally:
        registries.stop()
        engine.dispose()


def test_citizen_sees_every_access_and_the_log_proves_it(logged: Logged) -> None:
    url = f"{CIVIL}/person/{logged.person}"
    world = logged  # the helpers only need .runtime
    first_call = logged.client.get(url, headers=headers(logged.person))
    assert first_call.status_code == 403, first_call.text
    consent = give(world, logged.person)  # type: ignore[arg-type]
    assert logged.client.get(url, headers=headers(logged.person, consent)).status_code == 200
    withdraw(world, consent, logged.person)  # type: ignore[arg-type]
    assert logged.client.get(url, headers=headers(logged.person, consent)).status_code == 403

    pseudonym = logged.keys.pseudonymizer.pseudonym(logged.person)
    with transaction(logged.runtime.sessions) as session:
        mine = sorted(search(session, subject_pseudonym=pseudonym), key=lambda e: e.sequence)
        sign_tree_head(session, signer=logged.keys.signer)
    assert [(e.outcome, e.member, e.purpose) for e in mine] == [
        ("refused", "LA/GOV/MOLSW/welfare", "child-allowance-eligibility"),
        ("allowed", "LA/GOV/MOLSW/welfare", "child-allowance-eligibility"),
        ("refused", "LA/GOV/MOLSW/welfare", "child-allowance-eligibility"),
    ]
    with transaction(logged.runtime.sessions) as session:
        stored = [row.subject for row in session.query(TlogEntry)]
        verify_log(session, verifier=logged.keys.verifier)
    assert logged.person not in stored  # only the pseudonym is kept

    with transaction(logged.runtime.sessions) as session:
        first = session.query(TlogEntry).order_by(TlogEntry.seq).first()
        assert first is not None
        session.execute(
            update(TlogEntry).where(TlogEntry.seq == first.seq).values(purpose="statistics")
        )
    with transaction(logged.runtime.sessions) as session, pytest.raises(LogTamperedError) as err:
        verify_log(session, verifier=logged.keys.verifier)
    assert err.value.sequence == first.seq


def test_a_call_without_an_officer_user_id_is_still_logged(logged: Logged) -> None:
    url = f"{CIVIL}/person/{logged.person}"
    anonymous = {k: v for k, v in headers(logged.person).items() if k != "X-Road-UserId"}
    refused = logged.client.get(url, headers=anonymous)
    assert refused.status_code == 403, refused.text
    pseudonym = logged.keys.pseudonymizer.pseudonym(logged.person)
    with transaction(logged.runtime.sessions) as session:
        last = max(search(session, subject_pseudonym=pseudonym), key=lambda e: e.sequence)
    assert (last.user_id, last.outcome) == (NO_USER, "refused")
