"""The centre asks the town hall (another organisation of the service) to endorse its badge; the town hall gives
the endorsement through its API key: a signed EndorsementCredential by the town hall's own key, published with the
badge, verified, and revocable by the town hall alone."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from app.clock import FixedClock
from app.models import AuditEvent
from tests.endorsements.conftest import MAIRIE_SAYS, accept_as, ask, document, outcome, verify


def _asked(client: TestClient, key: dict[str, str], badge: str, **more: Any) -> dict[str, Any]:
    return ask(client, key, {"kind": "achievement", "id": badge}, {"organisation": "mairie"},
               message="Nous aimerions que la mairie recommande notre badge.", **more)


def test_the_request_waits_for_the_town_hall_and_shows_what_it_is_about(client: TestClient, key: dict[str, str],
                                                                         mairie: dict[str, str], badge: str) -> None:
    asked = _asked(client, key, badge)
    assert (asked["state"], asked["endorser_kind"], asked["endorser_name"]) == ("requested", "organisation",
                                                                                 "Mairie de Rouen")
    assert asked["about"]["url"] == f"https://badges.example.org/achievements/{badge}"
    assert asked["link"].startswith("https://badges.example.org/recommander/")
    [incoming] = client.get("/api/v1/endorsements/incoming", headers=mairie).json()
    assert (incoming["id"], incoming["asked_by"], incoming["about"]["name"]) == (asked["id"],
                                                                              "Centre social du Puchot", "Couture")
    assert incoming["message"] == "Nous aimerions que la mairie recommande notre badge."


def test_the_town_hall_s_endorsement_is_signed_by_its_key_about_the_badge(client: TestClient, key: dict[str, str],
                                                                          mairie: dict[str, str], badge: str) -> None:
    asked = _asked(client, key, badge)
    given = accept_as(client, mairie, asked["id"])
    assert given.status_code == 200, given.text
    assert given.json()["state"] == "accepted"
    credential = document(client, given.json()["url"])
    assert credential["type"] == ["VerifiableCredential", "EndorsementCredential"]
    assert credential["issuer"]["id"] == "did:web:badges.example.org:orgs:mairie"
    assert credential["issuer"]["name"] == "Mairie de Rouen"
    assert credential["credentialSubject"] == {"id": f"https://badges.example.org/achievements/{badge}",
                                               "type": ["EndorsementSubject"], "endorsementComment": MAIRIE_SAYS}
    [proof] = credential["proof"] if isinstance(credential["proof"], list) else [credential["proof"]]
    assert proof["verificationMethod"].startswith("did:web:badges.example.org:orgs:mairie#")
    assert credential["credentialStatus"]["statusPurpose"] == "revocation"
    report = verify(client, credential)
    assert report["verified"] is True, report
    assert outcome(report, "schema") == "passed" and outcome(report, "status") == "passed"


def test_the_badge_s_document_carries_the_endorsement_and_it_still_verifies(client: TestClient, key: dict[str, str],
                                                                            mairie: dict[str, str],
                                                                            badge: str) -> None:
    before = client.get(f"/achievements/{badge}")
    assert "endorsement" not in before.json()
    accept_as(client, mairie, _asked(client, key, badge)["id"])
    after = client.get(f"/achievements/{badge}", headers={"If-None-Match": before.headers["etag"]})
    assert after.status_code == 200 and after.headers["etag"] != before.headers["etag"]
    [carried] = after.json()["endorsement"]
    assert carried["credentialSubject"]["id"] == after.json()["id"]
    assert verify(client, carried)["verified"] is True


def test_awards_given_after_carry_the_endorsement_in_their_achievement(client: TestClient, key: dict[str, str],
                                                                      mairie: dict[str, str], badge: str) -> None:
    accept_as(client, mairie, _asked(client, key, badge)["id"])
    given = client.post(f"/api/v1/achievements/{badge}/awards", headers=key,
                        json={"recipient": {"email": "malik@exemple.fr", "public": True}})
    assert given.status_code == 201, given.text
    credential = document(client, given.json()["links"]["credential"])
    [carried] = credential["credentialSubject"]["achievement"]["endorsement"]
    assert carried["credentialSubject"]["id"] == credential["credentialSubject"]["achievement"]["id"]
    report = verify(client, credential)
    assert report["verified"] is True and [e["about"] for e in report["endorsements"]] == ["achievement"], report


def test_the_town_hall_revokes_and_the_endorsement_leaves_the_badge(client: TestClient, key: dict[str, str],
                                                                    mairie: dict[str, str], badge: str) -> None:
    asked = _asked(client, key, badge)
    credential = document(client, accept_as(client, mairie, asked["id"]).json()["url"])
    refused = client.post(f"/api/v1/endorsements/incoming/{asked['id']}/revoke", headers=key)
    assert refused.status_code == 404  # the centre cannot take back what the town hall said
    revoked = client.post(f"/api/v1/endorsements/incoming/{asked['id']}/revoke", headers=mairie)
    assert revoked.status_code == 200 and revoked.json()["state"] == "revoked"
    assert "endorsement" not in client.get(f"/achievements/{badge}").json()
    report = verify(client, credential)
    assert report["verified"] is False and outcome(report, "status") == "failed"
    assert client.get(f"/api/v1/endorsements/{asked['id']}", headers=key).json()["state"] == "revoked"


def test_the_centre_s_profile_carries_an_endorsement_of_the_centre(client: TestClient, key: dict[str, str],
                                                                   mairie: dict[str, str]) -> None:
    asked = ask(client, key, {"kind": "organisation"}, {"organisation": "mairie"})
    assert asked["about"]["url"] == "did:web:badges.example.org:orgs:puchot"
    accept_as(client, mairie, asked["id"], "Un partenaire fiable du quartier.")
    profile = client.get("/orgs/puchot/profile").json()
    [carried] = profile["endorsement"]
    assert carried["credentialSubject"]["id"] == profile["id"]
    assert carried["credentialSubject"]["endorsementComment"] == "Un partenaire fiable du quartier."


def test_a_declined_request_cannot_be_accepted_afterwards(client: TestClient, key: dict[str, str],
                                                          mairie: dict[str, str], badge: str) -> None:
    asked = _asked(client, key, badge)
    declined = client.post(f"/api/v1/endorsements/incoming/{asked['id']}/decline", headers=mairie)
    assert declined.status_code == 200 and declined.json()["state"] == "declined"
    late = accept_as(client, mairie, asked["id"])
    assert late.status_code == 409 and late.json()["code"] == "endorsement_declined"
    assert late.json()["message_fr"] == "Cette recommandation a été refusée."


def test_an_expired_request_cannot_be_accepted(client: TestClient, key: dict[str, str], mairie: dict[str, str],
                                               badge: str, clock: FixedClock) -> None:
    asked = _asked(client, key, badge, expires_in_days=7)
    clock.at += timedelta(days=8)
    late = accept_as(client, mairie, asked["id"])
    assert late.status_code == 409 and late.json()["code"] == "endorsement_expired"
    assert client.get(f"/api/v1/endorsements/{asked['id']}", headers=key).json()["state"] == "expired"


def test_an_organisation_cannot_endorse_itself(client: TestClient, key: dict[str, str], badge: str) -> None:
    refused = client.post("/api/v1/endorsements", headers=key, json={
        "about": {"kind": "achievement", "id": badge}, "endorser": {"organisation": "puchot"}})
    assert refused.status_code == 422 and refused.json()["code"] == "self_endorsement"


def test_an_unknown_endorser_or_a_draft_badge_is_refused_in_words(client: TestClient, key: dict[str, str],
                                                                  mairie: dict[str, str]) -> None:
    unknown = client.post("/api/v1/endorsements", headers=key, json={
        "about": {"kind": "organisation"}, "endorser": {"organisation": "nulle-part"}})
    assert unknown.status_code == 422 and unknown.json()["code"] == "unknown_endorser"
    draft = client.post("/api/v1/achievements", headers=key, json={
        "name": "Brouillon", "description": "Pas encore publié.", "criteria": {"narrative": "—"}}).json()["id"]
    refused = client.post("/api/v1/endorsements", headers=key, json={
        "about": {"kind": "achievement", "id": draft}, "endorser": {"organisation": "mairie"}})
    assert refused.status_code == 409 and refused.json()["code"] == "achievement_not_published"


def test_another_organisation_s_badge_cannot_be_put_forward(client: TestClient, key: dict[str, str],
                                                            mairie: dict[str, str], badge: str) -> None:
    refused = client.post("/api/v1/endorsements", headers=mairie, json={
        "about": {"kind": "achievement", "id": badge}, "endorser": {"name": "Fatou", "email": "f@exemple.fr"}})
    assert refused.status_code == 404


def test_an_unreadable_body_is_a_clear_422(client: TestClient, key: dict[str, str]) -> None:
    for body in ({"about": {"kind": "organisation", "id": "x"}, "endorser": {"organisation": "mairie"}},
                 {"about": {"kind": "achievement"}, "endorser": {"organisation": "mairie"}},
                 {"about": {"kind": "organisation"}, "endorser": {"organisation": "mairie", "name": "Fatou"}},
                 {"about": {"kind": "organisation"}, "endorser": {"name": "Fatou"}}):
        refused = client.post("/api/v1/endorsements", headers=key, json=body)
        assert refused.status_code == 422, (body, refused.text)


def test_every_step_is_in_the_audit_trail(client: TestClient, key: dict[str, str], mairie: dict[str, str],
                                          badge: str, app: Any) -> None:
    asked = _asked(client, key, badge)
    accept_as(client, mairie, asked["id"])
    client.post(f"/api/v1/endorsements/incoming/{asked['id']}/revoke", headers=mairie)
    with app.state.db.sessions() as session:
        actions = list(session.scalars(select(AuditEvent.action).where(AuditEvent.target_id == asked["id"])
                                       .order_by(AuditEvent.id)))
    assert actions == ["endorsement.ask", "endorsement.accept", "endorsement.revoke"]
