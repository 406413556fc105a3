"""The HTTP read side: search, citizen view, tree head and proofs, with standard errors."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from exchange.transparency.api import router
from exchange.transparency.log import append_entries, sign_tree_head
from exchange.transparency.proofs import verify_consistency, verify_inclusion
from exchange.transparency.pseudonym import HmacPseudonymizer
from exchange.transparency.tree_head import EcdsaP256Signer
from onedoor.config import Settings
from onedoor.http import create_component_app
from onedoor.runtime import create_runtime, get_session
from tests.exchange.transparency.conftest import event


@pytest.fixture
def client(
    settings: Settings,
    migrated_engine: Engine,
    db_session: Session,
    pseudonymizer: HmacPseudonymizer,
    signer: EcdsaP256Signer,
) -> Iterator[TestClient]:
    app = create_component_app(
        "audit", create_runtime(settings, engine=migrated_engine), title="audit"
    )
    app.include_router(router, prefix="/transparency")
    app.dependency_overrides[get_session] = lambda: db_session
    append_entries(db_session, entries=[event(i) for i in range(12)], pseudonymizer=pseudonymizer)
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


def test_tree_head_and_proofs_verify_client_side(
    client: TestClient, db_session: Session, signer: EcdsaP256Signer
) -> None:
    assert client.get("/transparency/tree-head").json()["error"]["code"] == "tree_head_not_found"
    sign_tree_head(db_session, signer=signer)
    head = client.get("/transparency/tree-head").json()
    assert head["tree_size"] == 12
    root = bytes.fromhex(head["root_hash"])
    proof = client.get(
        "/transparency/proofs/inclusion", params={"index": 5, "tree_size": 12}
    ).json()
    verify_inclusion(
        leaf_hash=bytes.fromhex(proof["leaf_hash"]),
        index=5,
        tree_size=12,
        proof=[bytes.fromhex(h) for h in proof["inclusion_path"]],
        root_hash=root,
    )
    consistency = client.get(
        "/transparency/proofs/consistency", params={"first": 5, "second": 12}
    ).json()
    verify_consistency(
        first=5,
        second=12,
        first_hash=bytes.fromhex(consistency["first_hash"]),
        second_hash=root,
        proof=[bytes.fromhex(h) for h in consistency["consistency_path"]],
    )


def test_citizen_view_and_officer_search(
    client: TestClient, pseudonymizer: HmacPseudonymizer
) -> None:
    mine = client.get(f"/transparency/subjects/{pseudonymizer.pseudonym('10000004')}/entries")
    assert [e["seq"] for e in mine.json()["entries"]] == [11, 4]
    found = client.get(
        "/transparency/entries", params={"member": "LA/GOV/MIN1/benefits", "limit": 2}
    ).json()
    assert [e["seq"] for e in found["entries"]] == [10, 7]


@pytest.mark.parametrize(
    ("path", "params", "status", "code"),
    [
        (
            "/transparency/proofs/inclusion",
            {"index": 12, "tree_size": 12},
            400,
            "invalid_tree_size",
        ),
        ("/transparency/proofs/inclusion", {"index": 0, "tree_size": 13}, 400, "invalid_tree_size"),
        ("/transparency/proofs/consistency", {"first": 0, "second": 5}, 422, "invalid_request"),
        ("/transparency/proofs/consistency", {"first": 6, "second": 5}, 400, "invalid_tree_size"),
        ("/transparency/subjects/10000004/entries", {}, 422, "invalid_request"),
        ("/transparency/entries", {"since": "2026-01-01T00:00:00"}, 400, "invalid_query"),
        ("/transparency/entries", {"limit": 5000}, 422, "invalid_request"),
    ],
)
def test_bad_requests_get_the_standard_error_body(
    client: TestClient, path: str, params: dict[str, object], status: int, code: str
) -> None:
    response = client.get(path, params=params)  # type: ignore[arg-type]
    assert response.status_code == status
    assert response.json()["error"]["code"] == code
