"""An endorsement of one award: its holder agrees first (the consent link the centre gives them), then the town
hall endorses; the award is issued again under the same id with a newer ``validFrom`` and carries the
endorsement, and again without it once the town hall takes it back."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient

from app.clock import FixedClock
from tests.endorsements.conftest import START, accept_as, ask, token_of, verify


def _asked(client: TestClient, key: dict[str, str], award: str) -> tuple[dict[str, Any], str]:
    asked = ask(client, key, {"kind": "award", "id": award}, {"organisation": "mairie"})
    return asked, token_of(asked["link"])


def _credential(client: TestClient, award: str) -> Any:
    return client.get(f"/credentials/{award}", headers={"Accept": "application/ld+json"})


def test_the_holder_is_asked_first_and_the_town_hall_sees_nothing_before(client: TestClient, key: dict[str, str],
                                                                         mairie: dict[str, str], award: str) -> None:
    asked, token = _asked(client, key, award)
    assert asked["state"] == "consent" and asked["link"].startswith("https://badges.example.org/accord/")
    assert client.get("/api/v1/endorsements/incoming", headers=mairie).json() == []
    seen = client.get(f"/api/v1/endorsement-consents/{token}").json()
    assert (seen["about"]["kind"], seen["about"]["name"], seen["endorser_name"]) == ("award", "Couture — Sylvie",
                                                                                     "Mairie de Rouen")
    early = accept_as(client, mairie, asked["id"])
    assert early.status_code == 404


def test_without_the_holder_s_consent_the_request_is_declined(client: TestClient, key: dict[str, str],
                                                              mairie: dict[str, str], award: str) -> None:
    asked, token = _asked(client, key, award)
    refused = client.post(f"/api/v1/endorsement-consents/{token}", json={"consent": False})
    assert refused.status_code == 200 and refused.json()["state"] == "declined"
    assert client.get("/api/v1/endorsements/incoming", headers=mairie).json()[0]["state"] == "declined"
    again = client.post(f"/api/v1/endorsement-consents/{token}", json={"consent": True})
    assert again.status_code == 409


def test_the_endorsed_award_is_issued_again_with_the_endorsement(client: TestClient, key: dict[str, str],
                                                                 mairie: dict[str, str], award: str,
                                                                 clock: FixedClock) -> None:
    before = _credential(client, award)
    asked, token = _asked(client, key, award)
    assert client.post(f"/api/v1/endorsement-consents/{token}", json={"consent": True}).json()["state"] == "requested"
    clock.at = START + timedelta(days=3)
    assert accept_as(client, mairie, asked["id"]).status_code == 200
    after = _credential(client, award)
    assert after.headers["etag"] != before.headers["etag"]
    old, new = before.json(), after.json()
    assert new["id"] == old["id"] and new["awardedDate"] == old["awardedDate"] == old["validFrom"]
    assert new["validFrom"] == "2026-12-06T09:00:00Z" > old["validFrom"]
    [endorsement] = new["endorsement"]
    assert endorsement["credentialSubject"]["id"] == new["id"]
    report = verify(client, new)
    assert report["verified"] is True, report
    [seen] = report["endorsements"]
    assert seen["verified"] is True and seen["about"] == "credential"
    assert verify(client, old)["verified"] is True  # a copy saved before still holds


def test_taken_back_the_endorsement_leaves_the_award(client: TestClient, key: dict[str, str],
                                                     mairie: dict[str, str], award: str) -> None:
    asked, token = _asked(client, key, award)
    client.post(f"/api/v1/endorsement-consents/{token}", json={"consent": True})
    accept_as(client, mairie, asked["id"])
    endorsed = _credential(client, award)
    client.post(f"/api/v1/endorsements/incoming/{asked['id']}/revoke", headers=mairie)
    after = _credential(client, award)
    assert after.headers["etag"] != endorsed.headers["etag"] and "endorsement" not in after.json()
    assert verify(client, after.json())["verified"] is True
    kept = verify(client, endorsed.json())  # a copy saved while it was endorsed: the badge holds, not the endorsement
    assert kept["verified"] is True and kept["endorsements"][0]["verified"] is False


def test_a_revoked_award_cannot_be_endorsed(client: TestClient, key: dict[str, str], mairie: dict[str, str],
                                            award: str) -> None:
    assert client.post(f"/api/v1/awards/{award}/revoke", headers=key, json={"reason": "Erreur"}).status_code == 200
    refused = client.post("/api/v1/endorsements", headers=key, json={
        "about": {"kind": "award", "id": award}, "endorser": {"organisation": "mairie"}})
    assert refused.status_code == 409 and refused.json()["code"] == "award_not_active"
