"""Badges proposed by the community (issue 14): the committee votes with the organisation's rule; an adopted
proposal becomes a draft badge crediting its proposers; a question sends it back to them for a new round."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import bearer

PROPOSAL = {"name": "Cuisine du monde", "description": "Partager une recette de son pays avec le quartier.",
            "criteria": "Avoir animé un atelier cuisine.", "proposers": ["Awa", "Inès"],
            "levels": [{"name": "Je soutiens"}, {"name": "J'explore"}, {"name": "J'agis"}], "email": "awa@exemple.fr"}


@pytest.fixture
def key(make_org: Callable[..., dict[str, Any]]) -> dict[str, str]:
    return bearer(make_org("puchot")["api_key"]["token"])


@pytest.fixture
def members(client: TestClient, key: dict[str, str]) -> list[str]:
    return [client.post("/api/v1/committee/members", json={"name": name, "email": f"{name.lower()}@exemple.fr"},
                        headers=key).json()["id"] for name in ("Fatou", "Karim", "Lise")]


def _propose(client: TestClient, **changes: Any) -> Any:
    return client.post("/api/v1/orgs/puchot/proposals", json={**PROPOSAL, **changes})


def _vote(client: TestClient, key: dict[str, str], proposal_id: str, member: str, choice: str,
          comment: str | None = None) -> Any:
    return client.post(f"/api/v1/proposals/{proposal_id}/votes", headers=key,
                       json={"choice": choice, "member_id": member, **({"comment": comment} if comment else {})})


def test_an_adopted_proposal_becomes_a_draft_badge_crediting_its_proposers(
        client: TestClient, key: dict[str, str], members: list[str]) -> None:
    received = _propose(client)
    assert received.status_code == 201, received.text
    proposal_id, token = received.json()["id"], received.json()["follow_token"]
    assert _vote(client, key, proposal_id, members[0], "accept").json()["state"] == "received"
    adopted = _vote(client, key, proposal_id, members[1], "accept").json()
    assert adopted["state"] == "adopted" and [v["choice"] for v in adopted["votes"]] == ["accept", "accept"]
    draft = client.get(f"/api/v1/achievements/{adopted['achievement_id']}", headers=key).json()
    assert (draft["state"], draft["name"]) == ("draft", "Cuisine du monde")
    assert "Badge proposé par Awa, Inès." in draft["description"]
    assert [lvl["name"] for lvl in draft["levels"]] == ["Je soutiens", "J'explore", "J'agis"]
    assert client.get(f"/api/v1/proposal-links/{token}").json()["achievement_id"] == adopted["achievement_id"]


def test_a_question_sends_the_proposal_back_for_a_new_round(client: TestClient, key: dict[str, str],
                                                             members: list[str]) -> None:
    received = _propose(client).json()
    _vote(client, key, received["id"], members[0], "more", "Quels plats ?")
    asked = _vote(client, key, received["id"], members[1], "more", "Pour quel âge ?").json()
    assert asked["state"] == "more_info"
    assert sorted(asked["question"].split("\n")) == ["Pour quel âge ?", "Quels plats ?"]
    revised = client.put(f"/api/v1/proposal-links/{received['follow_token']}",
                         json={**PROPOSAL, "criteria": "Avoir cuisiné un plat de son pays avec trois voisins."})
    assert (revised.json()["state"], revised.json()["round"]) == ("received", 2)
    assert _vote(client, key, received["id"], members[0], "decline", "Déjà proposé.").json()["state"] == "received"
    declined = _vote(client, key, received["id"], members[1], "decline", "Comme « Cuisine ».").json()
    assert (declined["state"], declined["achievement_id"]) == ("declined", None)
    assert sorted(declined["reason"].split("\n")) == ["Comme « Cuisine ».", "Déjà proposé."]


def test_two_levels_with_the_same_name_are_refused(client: TestClient) -> None:
    refused = _propose(client, levels=[{"name": "J'agis"}, {"name": "j’agis"}])
    assert refused.status_code == 422 and refused.json()["message_fr"]


def test_a_withdrawn_proposal_takes_no_vote(client: TestClient, key: dict[str, str], members: list[str]) -> None:
    received = _propose(client).json()
    assert client.post(f"/api/v1/proposal-links/{received['follow_token']}/withdraw").json()["state"] == "withdrawn"
    refused = _vote(client, key, received["id"], members[0], "accept")
    assert refused.status_code == 409 and refused.json()["code"] == "not_open_for_votes"
