"""Serial numbers stay unique when several TSA replicas issue at once (RFC 3161 2.4.2)."""

from __future__ import annotations

import hashlib
from concurrent.futures import ThreadPoolExecutor

from asn1crypto import tsp
from sqlalchemy import Engine

from keys.pki import Pki
from keys.tsa.authority import TimeStampReply, respond_committed
from keys.tsa.client import build_query
from onedoor.db import session_factory


def _serial(reply: bytes) -> int:
    token = TimeStampReply.load(reply)["time_stamp_token"]
    info: tsp.TSTInfo = token["content"]["encap_content_info"]["content"].parsed
    serial: int = info["serial_number"].native
    return serial


def test_concurrent_replicas_never_share_a_serial(migrated_engine: Engine, shared_pki: Pki) -> None:
    query = build_query(data_digest=hashlib.sha256(b"x").digest(), hash_algorithm="sha256", nonce=1)

    def replica(_: int) -> list[int]:
        sessions = session_factory(migrated_engine)  # one process's own session factory
        return [
            _serial(respond_committed(sessions=sessions, pki=shared_pki, query_der=query))
            for _ in range(5)
        ]

    with ThreadPoolExecutor(max_workers=4) as pool:
        per_replica = list(pool.map(replica, range(4)))
    serials = [serial for issued in per_replica for serial in issued]
    assert len(set(serials)) == 20
    for issued in per_replica:
        assert issued == sorted(issued)
