"""The rating form over HTTP: CSRF required, friendly errors, one rating per application."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.portal.helpers import HTML, csrf_token_of


def _submit(client: TestClient, **fields: str) -> str:
    token = csrf_token_of(client, "/portal/rating")
    response = client.post(
        "/portal/rating", data={"csrf_token": token, **fields},
        headers={**HTML, "accept-language": "en"},
    )
    return f"{response.status_code} {response.text}"


def test_a_rating_is_thanked_and_a_second_one_refused(client: TestClient) -> None:
    fields = {"centre_code": "vte-01", "application_reference": "APP-VIEW-0001", "score": "5"}
    assert _submit(client, **fields).startswith("200 ")
    again = _submit(client, **fields)
    assert again.startswith("409 ") and "already_done" in again


def test_a_missing_score_shows_the_form_again_with_the_problem(client: TestClient) -> None:
    result = _submit(client, centre_code="VTE-01", application_reference="APP-VIEW-0002")
    assert result.startswith("400 ") and "Please choose a score from 1 to 5." in result
    assert 'value="APP-VIEW-0002"' in result and 'role="alert"' in result


def test_a_rating_without_token_is_refused(client: TestClient) -> None:
    csrf_token_of(client, "/portal/rating")
    response = client.post(
        "/portal/rating",
        data={"centre_code": "VTE-01", "application_reference": "APP-VIEW-0003", "score": "5"},
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "csrf_failed"
