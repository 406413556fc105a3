"""A publisher process for the crash test: commits births through the registry's outbox hook.

Usage: ``python -m tests.exchange.events.publisher COUNT COUPLES`` with ONEDOOR_DATABASE_URL
set. After each commit it prints how many births are committed (acknowledged) so far.
"""

from __future__ import annotations

import sys

from exchange.events.sources import civil_record_registered
from onedoor.config import get_settings
from onedoor.db import open_database, session_factory, transaction
from schemas.identifiers import PersonId

BATCH = 10
FIRST_CHILD_SERIAL = 500_000


def birth_record(number: int, couples: int) -> dict[str, str]:
    couple = number % couples
    return {
        "recordId": f"BR{number:010d}",
        "childId": PersonId.issue(province=6, serial=FIRST_CHILD_SERIAL + number).value,
        "sex": "F" if number % 2 else "M",
        "birthDate": "2025-02-20",
        "birthDistrict": f"{1 + number % 18:02d}01",
        "motherId": PersonId.issue(province=1, serial=2 * couple).value,
        "fatherId": PersonId.issue(province=1, serial=2 * couple + 1).value,
    }


def main(count: int, couples: int) -> None:
    sessions = session_factory(open_database(get_settings().database_url))
    for start in range(0, count, BATCH):
        with transaction(sessions) as session:
            for number in range(start, min(count, start + BATCH)):
                civil_record_registered(session, kind="birth", record=birth_record(number, couples))
        print(min(count, start + BATCH), flush=True)


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]))
