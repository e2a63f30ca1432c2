"""People type the same level name differently (issue 12, the apostrophe trap): "J’agis" from a phone or Word,
"J'agis" from a keyboard, " j'AGIS " in a CSV. They name the same level; two levels cannot differ only so."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.text_normal import fold
from tests.conftest import bearer

BADGE = {"name": "Radio", "description": "Animer une émission.", "criteria": {"narrative": "A animé."}}


def _published(client: TestClient, token: str, *levels: str) -> str:
    created = client.post("/api/v1/achievements", json={**BADGE, "levels": [{"name": n} for n in levels]},
                          headers=bearer(token))
    assert created.status_code == 201, created.text
    published = client.post(f"/api/v1/achievements/{created.json()['id']}/publish", headers=bearer(token))
    assert published.status_code == 200, published.text
    return str(created.json()["id"])


@pytest.mark.parametrize(("created", "typed"), [
    ("J’agis", "J'agis"), ("J'agis", "J’agis"), ("J'agis", "  j'AGIS "), ("Niveau « expert »", 'niveau "expert"'),
    ("J'explore", "J\u02bcexplore"), ("Étape\u00a0finale", "E\u0301tape finale"),
])
def test_a_level_typed_another_way_is_the_same_level(client: TestClient, token: str, created: str,
                                                     typed: str) -> None:
    achievement = _published(client, token, "Je soutiens", created)
    response = client.post(f"/api/v1/achievements/{achievement}/awards",
                           json={"recipient": {"email": "sylvie@example.fr"}, "level": typed}, headers=bearer(token))
    assert response.status_code == 201, response.text
    assert response.json()["level"] == "level-2"


def test_a_csv_row_with_a_curly_apostrophe_finds_the_level_typed_straight(client: TestClient, token: str) -> None:
    achievement = _published(client, token, "Je soutiens", "J'agis")
    response = client.post(f"/api/v1/achievements/{achievement}/awards:batch",
                           content="email;level\nsylvie@example.fr;J’agis\n".encode(),
                           headers={**bearer(token), "Content-Type": "text/csv"})
    assert response.status_code == 200, response.text
    assert [r["status"] for r in response.json()["results"]] == ["issued"]


def test_a_level_that_really_differs_is_still_unknown(client: TestClient, token: str) -> None:
    achievement = _published(client, token, "Je soutiens", "J'agis")
    response = client.post(f"/api/v1/achievements/{achievement}/awards",
                           json={"recipient": {"email": "sylvie@example.fr"}, "level": "J'explore"},
                           headers=bearer(token))
    assert response.status_code == 422 and response.json()["code"] == "unknown_level"


def test_two_levels_that_differ_only_by_their_apostrophe_are_refused(client: TestClient, token: str,
                                                                     app: Any) -> None:
    response = client.post("/api/v1/achievements", json={**BADGE, "levels": [{"name": "J'agis"}, {"name": "J’agis"}]},
                           headers=bearer(token))
    assert response.status_code == 422, response.text
    (error,) = response.json()["errors"]
    assert error["field"] == "levels" and "même nom" in error["message_fr"]


@pytest.mark.parametrize(("a", "b"), [("J’agis", "j'agis"), ("«\u00a0expert\u00a0»", '"expert"'),
                                      ("e\u0301", "é"), ("a  \t b", "a b"), ("x–y", "x-y")])
def test_fold_makes_spellings_of_the_same_words_equal(a: str, b: str) -> None:
    assert fold(a) == fold(b)


@pytest.mark.parametrize(("a", "b"), [("J'agis", "J'explore"), ("e", "é"), ("ab", "a b")])
def test_fold_keeps_different_words_apart(a: str, b: str) -> None:
    assert fold(a) != fold(b)
