"""Members of the committee review and vote signed in (email link or code), not only through an API key: the
address they proved is their identity on the committee; anyone else signed in is refused."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import bearer
from tests.signin.conftest import ask, messages, type_code

BADGE = {"name": "Couture", "description": "Coudre ensemble.", "criteria": {"narrative": "A cousu."}}
COMMITTEE = "/api/v1/orgs/puchot/committee/requests"


def sign_in(client: TestClient, app: Any, email: str) -> Any:
    """Sign in with the code of the sign-in message: members also get the committee's messages (a request awaits),
    which hold no code."""
    assert ask(client, email).status_code == 200
    (message,) = [m for m in messages(app, email) if m.purpose == "signin"]
    answer = type_code(client, message.code, email)
    assert answer.status_code == 303, answer.text
    return answer


@pytest.fixture
def request_id(client: TestClient, make_org: Callable[..., dict[str, Any]]) -> str:
    key = bearer(make_org("puchot")["api_key"]["token"])
    badge = client.post("/api/v1/achievements", json=BADGE, headers=key).json()["id"]
    client.post(f"/api/v1/achievements/{badge}/publish", headers=key)
    for name in ("Fatou", "Karim"):
        client.post("/api/v1/committee/members", json={"name": name, "email": f"{name.lower()}@exemple.fr"},
                    headers=key)
    received = client.post("/api/v1/orgs/puchot/requests", json={
        "achievement_id": badge, "name": "Sylvie", "narrative": "J'ai cousu des rideaux pour la salle."})
    assert received.status_code == 201, received.text
    return str(received.json()["id"])


def test_a_signed_in_member_sees_the_requests_and_votes_as_themselves(client: TestClient, app: Any,
                                                                      request_id: str) -> None:
    sign_in(client, app, "Fatou@exemple.fr")
    assert [r["id"] for r in client.get(COMMITTEE).json()] == [request_id]
    voted = client.post(f"{COMMITTEE}/{request_id}/votes", json={"choice": "accept", "member_id": "someone-else"})
    assert voted.status_code == 200, voted.text
    assert [(v["member_name"], v["choice"]) for v in voted.json()["votes"]] == [("Fatou", "accept")]


def test_someone_signed_in_who_is_not_a_member_is_refused(client: TestClient, app: Any, request_id: str) -> None:
    sign_in(client, app, "voisin@exemple.fr")
    refused = client.get(f"{COMMITTEE}/{request_id}")
    assert refused.status_code == 403 and refused.json()["code"] == "not_a_member"


def test_without_signing_in_the_committee_pages_answer_401(client: TestClient, request_id: str) -> None:
    assert client.get(COMMITTEE).status_code == 401


def test_a_vote_sent_as_a_form_from_another_site_is_refused(client: TestClient, app: Any, request_id: str) -> None:
    sign_in(client, app, "karim@exemple.fr")
    forged = client.post(f"{COMMITTEE}/{request_id}/votes", content=b'{"choice": "accept"}',
                         headers={"Content-Type": "text/plain"})
    assert forged.status_code in (415, 422)
    assert client.get(f"{COMMITTEE}/{request_id}").json()["votes"] == []


def test_the_committee_audience_sends_a_code_to_members_only(client: TestClient, app: Any, request_id: str) -> None:
    assert ask(client, "karim@exemple.fr", audience="committee").status_code == 200
    assert ask(client, "voisin@exemple.fr", audience="committee").status_code == 200
    assert [m.to for m in messages(app) if m.purpose == "signin"] == ["karim@exemple.fr"]
