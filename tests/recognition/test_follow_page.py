"""The resident's private link as a page: where the request stands, in plain French (English on request)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import bearer

BADGE = {"name": "Couture", "description": "Coudre ensemble.", "criteria": {"narrative": "A cousu."}}


@pytest.fixture
def key(make_org: Callable[..., dict[str, Any]]) -> dict[str, str]:
    return bearer(make_org("puchot")["api_key"]["token"])


@pytest.fixture
def received(client: TestClient, key: dict[str, str]) -> dict[str, Any]:
    badge = client.post("/api/v1/achievements", json=BADGE, headers=key).json()["id"]
    client.post(f"/api/v1/achievements/{badge}/publish", headers=key)
    answer = client.post("/api/v1/orgs/puchot/requests", data={"request": json.dumps({
        "achievement_id": badge, "narrative": "J'ai cousu des rideaux."})})
    assert answer.status_code == 201, answer.text
    return answer.json()  # type: ignore[no-any-return]


def _path(received: dict[str, Any]) -> str:
    return f"/suivi/{received['follow_token']}"


def test_the_page_says_where_the_request_stands_in_french(client: TestClient, received: dict[str, Any]) -> None:
    page = client.get(_path(received))
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert '<html lang="fr">' in page.text and "<title>Ma demande de badge : Demande reçue" in page.text
    assert "Couture" in page.text and "seul le comité les voit" in page.text
    assert page.headers["cache-control"] == "no-store" and page.headers["referrer-policy"] == "no-referrer"


def test_the_page_speaks_english_when_asked(client: TestClient, received: dict[str, Any]) -> None:
    page = client.get(_path(received), params={"lang": "en"})
    assert '<html lang="en">' in page.text and "Request received" in page.text


def test_an_accepted_request_shows_the_badge_and_the_claim_code(client: TestClient, key: dict[str, str],
                                                                received: dict[str, Any]) -> None:
    member = client.post("/api/v1/committee/members", json={"name": "Fatou", "email": "fatou@exemple.fr"},
                         headers=key).json()["id"]
    client.patch("/api/v1/committee/settings", json={"acceptances": 1}, headers=key)
    accepted = client.post(f"/api/v1/requests/{received['id']}/votes", headers=key,
                           json={"choice": "accept", "member_id": member}).json()
    page = client.get(_path(received)).text
    followed = client.get(f"/api/v1/request-links/{received['follow_token']}").json()
    assert "Demande acceptée" in page and f"/credentials/{accepted['award_id']}" in page
    assert followed["claim_code"] and followed["claim_code"] in page


def test_an_unknown_link_says_so_in_words(client: TestClient) -> None:
    page = client.get("/suivi/" + "x" * 43)
    assert page.status_code == 404 and 'role="alert"' in page.text and "Vérifiez le lien reçu" in page.text
