"""Kill -9 the publisher and the workers mid-burst: nothing committed is lost or done twice."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from exchange.events.models import EventsDelivery, EventsOutbox, EventsOutcome
from onedoor.db import open_database, session_factory, transaction
from onedoor.migrate import upgrade
from registries.education.models import EducationEnrolmentForecast
from registries.familybook.models import FamilybookMember
from registries.health.models import HealthImmunisationSchedule
from registries.reactions.models import ReactionsHealthInbox, ReactionsWelfareInbox
from registries.reactions.subscribe import subscribe_ministries
from registries.statistics.models import StatsEventCount
from registries.welfare.models import WelfareChildAllowanceCase
from tests.exchange.events.world import couple

BIRTHS = 200
COUPLES = 40  # five children each: households stay far below the 60-member limit
ROOT = Path(__file__).resolve().parents[3]
SUBSCRIBERS = 5


def _spawn(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[str]:
    publisher = "publisher" in args[0]
    with log.open("w") as output:  # the child keeps its own copy of the descriptor
        return subprocess.Popen(
            [sys.executable, "-m", *args],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE if publisher else output,
            stderr=output,
            text=True,
        )


def _worker(env: dict[str, str], log: Path) -> subprocess.Popen[str]:
    return _spawn(
        ["exchange.events.cli", "worker", "--lease-seconds", "2", "--idle-seconds", "0.05"],
        env,
        log,
    )


def _count(session: Session, query: object) -> int:
    return int(session.scalar(query) or 0)  # type: ignore[call-overload]


def test_killed_publisher_and_workers_lose_and_duplicate_nothing(
    empty_database_url: str, tmp_path: Path
) -> None:
    engine = open_database(empty_database_url)
    upgrade(engine)
    sessions = session_factory(engine)
    with transaction(sessions) as session:
        subscribe_ministries(session, now=datetime.now(UTC))
        for number in range(COUPLES):
            couple(session, number)
    env = {
        **os.environ,
        "ONEDOOR_DATABASE_URL": empty_database_url,
        "ONEDOOR_STATE_DIR": str(tmp_path / "var"),
    }
    publisher = _spawn(
        ["tests.exchange.events.publisher", str(BIRTHS), str(COUPLES)], env, tmp_path / "pub.log"
    )
    workers = [_worker(env, tmp_path / f"w{i}.log") for i in range(2)]
    acknowledged = 0
    assert publisher.stdout is not None
    for line in publisher.stdout:  # kill everything half-way through the burst
        acknowledged = int(line)
        if acknowledged >= BIRTHS // 2:
            break
    for process in (publisher, *workers):
        process.send_signal(signal.SIGKILL)
        process.wait()
    publisher.stdout.close()
    with transaction(sessions) as session:
        delivered_before = _count(
            session, select(func.count()).where(EventsDelivery.state == "delivered")
        )
    workers = [_worker(env, tmp_path / f"w{i}-again.log") for i in range(2)]
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with transaction(sessions) as session:
                open_ = _count(
                    session, select(func.count()).where(EventsDelivery.state != "delivered")
                )
            if open_ == 0:
                break
            time.sleep(0.2)
    finally:
        for process in workers:
            process.send_signal(signal.SIGTERM)
        for process in workers:
            assert process.wait(timeout=20) == 0
    with transaction(sessions) as session:
        births = _count(session, select(func.count()).select_from(EventsOutbox))
        assert births >= acknowledged > 0
        errors = session.execute(
            select(EventsDelivery.state, EventsDelivery.last_error)
            .where(EventsDelivery.state != "delivered")
            .limit(5)
        ).all()
        assert errors == []
        assert _count(session, select(func.count()).select_from(EventsDelivery)) == (
            SUBSCRIBERS * births
        )
        assert delivered_before < SUBSCRIBERS * births  # the kill did interrupt delivery
        # Exactly once in effect, in each ministry's own tables.
        cases = select(func.count(func.distinct(WelfareChildAllowanceCase.child_id)))
        assert _count(session, select(func.count(WelfareChildAllowanceCase.id))) == births
        assert _count(session, cases) == births
        assert _count(session, select(func.count(HealthImmunisationSchedule.id))) == births
        assert (
            _count(session, select(func.sum(EducationEnrolmentForecast.expected_children)))
            == births
        )
        assert (
            _count(
                session,
                select(func.sum(StatsEventCount.count)).where(StatsEventCount.event == "birth"),
            )
            == births
        )
        children = select(func.count()).where(FamilybookMember.relationship == "child")
        assert _count(session, children) == births
        assert _count(session, select(func.count(ReactionsWelfareInbox.event_id))) == births
        assert _count(session, select(func.count(ReactionsHealthInbox.event_id))) == births
        assert _count(session, select(func.count(EventsOutcome.id))) == SUBSCRIBERS * births
    engine.dispose()
