"""Export a gateway's message log as a self-contained JSON container and verify it offline.

The container holds the rows (bodies stay encrypted), the batch timestamps (RFC 3161 tokens
over Merkle roots), for a one-message export each row's inclusion path in its batch, and the
per-hop times of each message. Verification checks the hash chain (or, for one message's
rows, each row's own hash), then every token against the TSA certificate the verifier trusts,
and reports from when each message is proven to have existed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from cryptography import x509
from sqlalchemy.orm import Session

from exchange.gateway.hops import load_hops
from exchange.gateway.logstamp import check_stamps, inclusion_proofs, load_stamps
from exchange.gateway.messagelog import GENESIS, LogChainError, load_rows, verify_rows

CONTAINER_FORMAT = "onedoor-gwlog/1"


@dataclass(frozen=True)
class LogVerification:
    """A verified log: its rows, and per message id the ``genTime`` proving it existed."""

    records: int
    proven: dict[str, datetime]
    unstamped: int


def export_container(
    session: Session, *, gateway: str, message_id: str | None = None
) -> dict[str, Any]:
    """A self-contained JSON container of a gateway's rows (all, or one message's exchange).

    With ``message_id`` the rows are not contiguous; each is checked on its own hash and
    against its batch's token through its inclusion path, and the container also carries the
    chain head so it can be matched against the live log.
    """
    all_rows = load_rows(session, gateway=gateway)
    stamps = load_stamps(session, gateway=gateway)
    head = all_rows[-1]["row_hash"] if all_rows else GENESIS
    container: dict[str, Any] = {
        "format": CONTAINER_FORMAT,
        "gateway": gateway,
        "contiguous": message_id is None,
        "head": head,
        "records": all_rows,
        "timestamps": stamps,
        "hops": load_hops(session, gateway=gateway, message_id=message_id),
    }
    if message_id is not None:
        rows = [r for r in all_rows if r["message_id"] == message_id]
        container["records"] = rows
        container["proofs"] = inclusion_proofs(all_rows, stamps, [r["seq"] for r in rows])
    return container


def verify_container(
    container: dict[str, Any], *, tsa_certificate: x509.Certificate | None = None
) -> int:
    """Verify an exported container offline; the number of rows. Raises LogChainError naming
    the first bad row, LogTimestampError for a token that does not match its rows."""
    return verify_log_container(container, tsa_certificate=tsa_certificate).records


def verify_log_container(
    container: dict[str, Any], *, tsa_certificate: x509.Certificate | None = None
) -> LogVerification:
    """:func:`verify_container` with the time each message is proven to have existed."""
    records = container.get("records")
    if container.get("format") != CONTAINER_FORMAT or not isinstance(records, list):
        raise LogChainError("not a OneDoor message log container", seq=None)
    stamps = container.get("timestamps") or []
    if not isinstance(stamps, list):
        raise LogChainError("the container's timestamps are malformed", seq=None)
    if container.get("contiguous"):
        verify_rows(records)
        proofs = None
    else:
        for row in records:
            verify_rows([row], from_genesis=False)
        proofs = container.get("proofs") or {}
        if not isinstance(proofs, dict):
            raise LogChainError("the container's inclusion proofs are malformed", seq=None)
    check = check_stamps(records, stamps, proofs=proofs, tsa_certificate=tsa_certificate)
    return _report(records, check.proven)


def verify_gateway_log(
    session: Session, *, gateway: str, tsa_certificate: x509.Certificate | None
) -> LogVerification:
    """Verify ``gateway``'s whole log in the database, chain and timestamps."""
    return verify_log_container(
        export_container(session, gateway=gateway), tsa_certificate=tsa_certificate
    )


def _report(rows: Sequence[dict[str, Any]], proven: dict[int, datetime]) -> LogVerification:
    latest: dict[str, datetime | None] = {}
    for row in rows:
        when = proven.get(row["seq"])
        before = latest.get(row["message_id"], when)
        if when is None or before is None:
            latest[row["message_id"]] = None
        else:
            latest[row["message_id"]] = max(before, when)
    return LogVerification(
        records=len(rows),
        proven={mid: when for mid, when in latest.items() if when is not None},
        unstamped=sum(1 for row in rows if row["seq"] not in proven),
    )
