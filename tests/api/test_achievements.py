"""Achievements: drafts, levels, publication, immutable published versions, tenant isolation."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import bearer

PLACE_AUX_JEUNES = {
    "name": "Place aux jeunes",
    "description": "S'impliquer dans la vie du quartier, à son rythme.",
    "criteria": {"narrative": "A participé à **trois** actions du centre."},
    "achievementType": "Competency",
    "tags": ["savoir-être", "engagement"],
    "alignments": [{"targetName": "Travailler en équipe", "targetUrl": "https://esco.example/skill/teamwork",
                    "targetFramework": "ESCO", "targetCode": "S1.8.1"}],
    "levels": [{"name": "Je soutiens", "description": "Je donne un coup de main."},
               {"name": "Je teste, j'explore"},
               {"name": "J'agis, je sais faire", "criteria": "Anime un atelier seul."}],
}


@pytest.fixture
def token(make_org: Any) -> str:
    return make_org("puchot")["api_key"]["token"]  # type: ignore[no-any-return]


def _create(client: TestClient, token: str, **changes: Any) -> dict[str, Any]:
    response = client.post("/api/v1/achievements", json={**PLACE_AUX_JEUNES, **changes}, headers=bearer(token))
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def test_create_draft_with_ordered_levels(client: TestClient, token: str) -> None:
    created = _create(client, token)
    assert created["state"] == "draft" and created["version"] == 1
    assert [lvl["name"] for lvl in created["levels"]] == ["Je soutiens", "Je teste, j'explore",
                                                          "J'agis, je sais faire"]
    assert created["levels"][0]["id"] == created["url"] + "#level-1"


def test_drafts_are_not_public(client: TestClient, token: str) -> None:
    created = _create(client, token)
    assert client.get(f"/achievements/{created['id']}").status_code == 404


def test_published_achievement_is_public_ob3_with_rubric_levels(client: TestClient, token: str) -> None:
    created = _create(client, token)
    published = client.post(f"/api/v1/achievements/{created['id']}/publish", headers=bearer(token))
    assert published.json()["state"] == "published"
    doc = client.get(f"/achievements/{created['id']}").json()
    assert doc["type"] == ["Achievement"] and doc["id"] == created["url"]
    assert doc["criteria"] == {"narrative": "A participé à **trois** actions du centre."}
    assert doc["alignment"][0]["type"] == ["Alignment"]
    rd = doc["resultDescription"][0]
    assert rd["resultType"] == "RubricCriterionLevel"
    assert [lvl["name"] for lvl in rd["rubricCriterionLevel"]] == ["Je soutiens", "Je teste, j'explore",
                                                                   "J'agis, je sais faire"]
    assert rd["rubricCriterionLevel"][2]["description"] == "Anime un atelier seul."


def test_editing_a_draft_changes_it_in_place(client: TestClient, token: str) -> None:
    created = _create(client, token)
    response = client.patch(f"/api/v1/achievements/{created['id']}", json={"name": "Place aux jeunes !"},
                            headers=bearer(token))
    assert response.status_code == 200
    assert response.json()["id"] == created["id"] and response.json()["name"] == "Place aux jeunes !"


def test_editing_a_published_achievement_creates_a_new_draft_version(client: TestClient, token: str) -> None:
    created = _create(client, token)
    client.post(f"/api/v1/achievements/{created['id']}/publish", headers=bearer(token))
    before = client.get(f"/achievements/{created['id']}").json()
    response = client.patch(f"/api/v1/achievements/{created['id']}", json={"description": "Nouveau texte"},
                            headers=bearer(token))
    assert response.status_code == 201
    new = response.json()
    assert new["id"] != created["id"] and new["version"] == 2 and new["state"] == "draft"
    assert new["lineage_id"] == created["id"]
    assert client.get(f"/achievements/{created['id']}").json() == before  # published content never changes


def test_publishing_a_new_version_archives_the_previous_one(client: TestClient, token: str) -> None:
    created = _create(client, token)
    client.post(f"/api/v1/achievements/{created['id']}/publish", headers=bearer(token))
    new = client.patch(f"/api/v1/achievements/{created['id']}", json={"name": "V2"}, headers=bearer(token)).json()
    client.post(f"/api/v1/achievements/{new['id']}/publish", headers=bearer(token))
    old = client.get(f"/api/v1/achievements/{created['id']}", headers=bearer(token)).json()
    assert old["state"] == "archived"
    assert client.get(f"/achievements/{created['id']}").status_code == 200  # still resolvable


def test_publishing_twice_is_409(client: TestClient, token: str) -> None:
    created = _create(client, token)
    client.post(f"/api/v1/achievements/{created['id']}/publish", headers=bearer(token))
    response = client.post(f"/api/v1/achievements/{created['id']}/publish", headers=bearer(token))
    assert response.status_code == 409 and response.json()["code"] == "achievement_not_draft"


def test_archived_achievement_cannot_change(client: TestClient, token: str) -> None:
    created = _create(client, token)
    client.post(f"/api/v1/achievements/{created['id']}/archive", headers=bearer(token))
    response = client.patch(f"/api/v1/achievements/{created['id']}", json={"name": "x"}, headers=bearer(token))
    assert response.status_code == 409


@pytest.mark.parametrize("bad", [
    {"criteria": {}},
    {"achievementType": "Diplôme"},
    {"levels": [{"name": ""}]},
    {"alignments": [{"targetName": "x"}]},
    {"state": "published"},
    {"id": "mine"},
    {"version": 7},
])
def test_invalid_or_server_owned_fields_are_422(client: TestClient, token: str, bad: dict[str, Any]) -> None:
    response = client.post("/api/v1/achievements", json={**PLACE_AUX_JEUNES, **bad}, headers=bearer(token))
    assert response.status_code == 422
    assert client.get("/api/v1/achievements", headers=bearer(token)).json() == []


def test_ext_achievement_type_is_accepted(client: TestClient, token: str) -> None:
    assert _create(client, token, achievementType="ext:SavoirEtre")["achievementType"] == "ext:SavoirEtre"


def test_another_organisation_cannot_see_or_change_it(client: TestClient, token: str, make_org: Any) -> None:
    created = _create(client, token)
    other = make_org("autre")["api_key"]["token"]
    assert client.get(f"/api/v1/achievements/{created['id']}", headers=bearer(other)).status_code == 404
    assert client.patch(f"/api/v1/achievements/{created['id']}", json={"name": "x"},
                        headers=bearer(other)).status_code == 404
    assert client.post(f"/api/v1/achievements/{created['id']}/publish", headers=bearer(other)).status_code == 404
    assert client.get("/api/v1/achievements", headers=bearer(other)).json() == []


def test_list_filters_by_state(client: TestClient, token: str) -> None:
    a = _create(client, token)
    _create(client, token, name="Autre")
    client.post(f"/api/v1/achievements/{a['id']}/publish", headers=bearer(token))
    listed = client.get("/api/v1/achievements?state=published", headers=bearer(token)).json()
    assert [x["id"] for x in listed] == [a["id"]]
