"""Spontaneous endorsements: a visitor, signed in, offers to endorse a badge, an organisation or an award; nothing
is shown before the organisation accepts (and, for an award, its holder agrees); then it is signed with the
visitor's own key and published."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.endorsements.conftest import document, token_of, verify
from tests.signin.conftest import sign_in

KARIM = "karim.benali@exemple.fr"
KARIM_SAYS = "J'ai vu ces ateliers changer la vie du quartier."


def _offer(client: TestClient, kind: str, subject: str, **more: Any) -> Any:
    return client.post("/api/v1/endorsement-offers", json={
        "about": {"kind": kind, "id": subject}, "name": "Karim Benali", "comment": KARIM_SAYS, **more})


def _offered(client: TestClient, app: Any, kind: str, subject: str) -> dict[str, Any]:
    sign_in(client, app, KARIM)
    offered = _offer(client, kind, subject)
    assert offered.status_code == 201, offered.text
    return dict(offered.json())


def test_an_offer_needs_a_proven_address(client: TestClient, badge: str) -> None:
    refused = _offer(client, "achievement", badge)
    assert refused.status_code == 401


def test_an_offer_waits_for_the_organisation_and_shows_nowhere(client: TestClient, app: Any, key: dict[str, str],
                                                               badge: str) -> None:
    offered = _offered(client, app, "achievement", badge)
    assert (offered["state"], offered["endorser_name"], offered["comment"]) == ("offered", "Karim Benali",
                                                                                KARIM_SAYS)
    assert offered["link"].startswith("https://badges.example.org/recommander/")
    [waiting] = client.get("/api/v1/endorsements", params={"state": "offered"}, headers=key).json()
    assert (waiting["id"], waiting["origin"]) == (offered["id"], "offered")
    assert "endorsement" not in client.get(f"/achievements/{badge}").json()


def test_accepted_it_is_signed_by_the_visitor_s_own_key_and_published(client: TestClient, app: Any,
                                                                      key: dict[str, str], badge: str) -> None:
    offered = _offered(client, app, "achievement", badge)
    accepted = client.post(f"/api/v1/endorsements/{offered['id']}/accept", headers=key)
    assert accepted.status_code == 200 and accepted.json()["state"] == "accepted" and accepted.json()["link"] is None
    [carried] = client.get(f"/achievements/{badge}").json()["endorsement"]
    assert carried["issuer"]["name"] == "Karim Benali" and carried["issuer"]["id"].startswith(
        "did:web:badges.example.org:orgs:personne-")
    assert carried["credentialSubject"]["endorsementComment"] == KARIM_SAYS
    assert verify(client, carried)["verified"] is True


def test_declined_nothing_is_published(client: TestClient, app: Any, key: dict[str, str], badge: str) -> None:
    offered = _offered(client, app, "achievement", badge)
    declined = client.post(f"/api/v1/endorsements/{offered['id']}/decline", headers=key)
    assert declined.status_code == 200 and declined.json()["state"] == "declined"
    assert "endorsement" not in client.get(f"/achievements/{badge}").json()
    again = client.post(f"/api/v1/endorsements/{offered['id']}/accept", headers=key)
    assert again.status_code == 409 and again.json()["code"] == "endorsement_declined"


def test_about_an_award_the_holder_agrees_before_it_is_published(client: TestClient, app: Any,
                                                                 key: dict[str, str], award: str) -> None:
    offered = _offered(client, app, "award", award)
    early = client.post(f"/api/v1/endorsement-consents/{token_of(offered['link'])}", json={"consent": True})
    assert early.status_code == 404  # the endorser's link is not the holder's
    accepted = client.post(f"/api/v1/endorsements/{offered['id']}/accept", headers=key).json()
    assert accepted["state"] == "consent" and accepted["link"].startswith("https://badges.example.org/accord/")
    assert "endorsement" not in document(client, f"/credentials/{award}")
    agreed = client.post(f"/api/v1/endorsement-consents/{token_of(accepted['link'])}", json={"consent": True})
    assert agreed.status_code == 200 and agreed.json()["state"] == "accepted"
    [carried] = document(client, f"/credentials/{award}")["endorsement"]
    assert carried["credentialSubject"]["endorsementComment"] == KARIM_SAYS


def test_an_organisation_is_offered_by_its_slug(client: TestClient, app: Any, key: dict[str, str]) -> None:
    offered = _offered(client, app, "organisation", "puchot")
    assert offered["about"]["url"] == "did:web:badges.example.org:orgs:puchot"
    client.post(f"/api/v1/endorsements/{offered['id']}/accept", headers=key)
    assert client.get("/orgs/puchot/profile").json()["endorsement"][0]["issuer"]["name"] == "Karim Benali"


def test_nothing_private_can_be_offered(client: TestClient, app: Any, key: dict[str, str]) -> None:
    draft = client.post("/api/v1/achievements", headers=key, json={
        "name": "Brouillon", "description": "Pas encore publié.", "criteria": {"narrative": "—"}}).json()["id"]
    sign_in(client, app, KARIM)
    for kind, subject in (("achievement", draft), ("organisation", "nulle-part"), ("award", "x" * 22)):
        refused = _offer(client, kind, subject)
        assert refused.status_code == 404, (kind, refused.text)


def test_only_the_organisation_concerned_decides(client: TestClient, app: Any, key: dict[str, str],
                                                 mairie: dict[str, str], badge: str) -> None:
    offered = _offered(client, app, "achievement", badge)
    refused = client.post(f"/api/v1/endorsements/{offered['id']}/accept", headers=mairie)
    assert refused.status_code == 404


def test_the_visitor_takes_back_what_was_published(client: TestClient, app: Any, key: dict[str, str],
                                                   badge: str) -> None:
    offered = _offered(client, app, "achievement", badge)
    client.post(f"/api/v1/endorsements/{offered['id']}/accept", headers=key)
    taken_back = client.post(f"/api/v1/endorsement-links/{token_of(offered['link'])}/revoke", json={})
    assert taken_back.status_code == 200 and taken_back.json()["state"] == "revoked"
    assert "endorsement" not in client.get(f"/achievements/{badge}").json()
