"""Inputs that once reached a 500 (schemathesis, issue 12) answer a 4xx with a clear message, on both databases."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import admin_headers, bearer

BADGE = {"name": "Couture", "description": "Coudre ensemble.", "criteria": {"narrative": "A cousu."}}


@pytest.fixture
def achievement(client: TestClient, token: str) -> str:
    created = client.post("/api/v1/achievements", json=BADGE, headers=bearer(token)).json()
    client.post(f"/api/v1/achievements/{created['id']}/publish", headers=bearer(token))
    return str(created["id"])


@pytest.mark.parametrize("raw", [b'{"rows": [{"narrative": "x\\ud800"}]}', b'{"rows": [{"recipient": '
                                 b'{"display_name": "a\\u0000b"}}]}'])
def test_a_lone_surrogate_or_a_nul_in_a_batch_row_is_never_a_500(client: TestClient, token: str, achievement: str,
                                                                  raw: bytes) -> None:
    response = client.post(f"/api/v1/achievements/{achievement}/awards:batch", content=raw,
                           headers={**bearer(token), "Content-Type": "application/json"})
    assert response.status_code in (200, 400, 422), response.text
    if response.status_code == 200:  # the row alone is refused, with its reason
        (row,) = response.json()["results"]
        assert row["status"] == "error" and row["message_fr"]
    else:
        assert response.json()["message_fr"]


@pytest.mark.parametrize(("path", "body"), [
    ("/api/v1/achievements", {**BADGE, "name": "a\u0000b"}),
    ("/api/v1/achievements", {**BADGE, "language": "fr-" + "x" * 30}),
    ("/api/v1/achievements", {**BADGE, "levels": [{"name": "J'agis\u0000"}]}),
    ("/api/v1/groups", {"name": "Atelier", "members": [{"email": "a@b.fr", "display_name": "Awa\u0000"}]}),
])
def test_nul_bytes_and_long_language_tags_are_a_422(client: TestClient, token: str, path: str,
                                                    body: dict[str, Any]) -> None:
    response = client.post(path, json=body, headers=bearer(token))
    assert response.status_code == 422, response.text
    assert response.json()["errors"] and "Valeur invalide" not in response.text


def test_a_long_language_tag_for_an_organisation_is_a_422(client: TestClient) -> None:
    response = client.post("/api/v1/orgs", json={"slug": "grammont", "name": "Grammont", "url": "https://g.example",
                                                 "email": "a@g.example", "language": "sl-rozaj-biske-1994"},
                           headers=admin_headers())
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "language"
