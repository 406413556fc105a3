"""HTTP read side of the transparency log: search, tree head and proofs, as JSON.

Mount with ``app.include_router(router, prefix="/transparency")`` inside an app made by
``create_component_app`` (errors then become ``{"error": {...}}``). Authorisation is the
mounting app's job: ``/entries`` is for data-protection officers, ``/subjects/...`` for the
citizen whose pseudonym it is; tree heads and proofs are public.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from exchange.transparency.entry import LogEntry
from exchange.transparency.log import consistency_proof, inclusion_proof, latest_tree_head
from exchange.transparency.search import MAX_LIMIT, search
from onedoor.runtime import SessionDep

router = APIRouter(tags=["transparency"])

Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT)]
Offset = Annotated[int, Query(ge=0)]
Text = Annotated[str | None, Query(max_length=255)]
Size = Annotated[int, Query(ge=1, lt=2**63)]


def _page(entries: list[LogEntry], limit: int, offset: int) -> dict[str, Any]:
    return {"entries": [e.to_json() for e in entries], "limit": limit, "offset": offset}


@router.get("/entries", summary="Search access entries (data-protection officers)")
def search_entries(
    session: SessionDep,
    member: Text = None,
    user_id: Text = None,
    service: Text = None,
    purpose: Text = None,
    outcome: Annotated[str | None, Query(pattern="^(allowed|refused)$")] = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> dict[str, Any]:
    found = search(
        session,
        member=member,
        user_id=user_id,
        service=service,
        purpose=purpose,
        outcome=outcome,
        since=since,
        until=until,
        limit=limit,
        offset=offset,
    )
    return _page(found, limit, offset)


@router.get("/subjects/{pseudonym}/entries", summary="Who accessed this citizen's data")
def subject_entries(
    session: SessionDep,
    pseudonym: Annotated[str, Path(pattern="^[0-9a-f]{64}$")],
    since: datetime | None = None,
    until: datetime | None = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> dict[str, Any]:
    found = search(
        session, subject_pseudonym=pseudonym, since=since, until=until, limit=limit, offset=offset
    )
    return _page(found, limit, offset)


@router.get("/tree-head", summary="The latest signed tree head")
def tree_head(session: SessionDep) -> dict[str, Any]:
    return latest_tree_head(session).to_json()


@router.get("/proofs/inclusion", summary="Audit path of one entry (RFC 9162 2.1.3)")
def get_inclusion_proof(
    session: SessionDep, index: Annotated[int, Query(ge=0, lt=2**63)], tree_size: Size
) -> dict[str, Any]:
    return inclusion_proof(session, index=index, tree_size=tree_size).to_json()


@router.get("/proofs/consistency", summary="Consistency of two tree sizes (RFC 9162 2.1.4)")
def get_consistency_proof(session: SessionDep, first: Size, second: Size) -> dict[str, Any]:
    return consistency_proof(session, first=first, second=second).to_json()
