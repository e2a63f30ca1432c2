"""Awards: recipients hidden by default, levels, claim codes, validity, idempotency, tenant isolation."""

from __future__ import annotations

import hashlib
import json
import threading
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from app.models import Award, IdempotencyRecord
from tests.conftest import bearer

BADGE = {
    "name": "Place aux jeunes",
    "description": "S'impliquer dans la vie du quartier.",
    "criteria": {"narrative": "A participé à trois actions du centre."},
    "levels": [{"name": "Je soutiens"}, {"name": "Je teste, j'explore"}, {"name": "J'agis, je sais faire"}],
}


@pytest.fixture
def org(make_org: Any) -> dict[str, Any]:
    return make_org("puchot")  # type: ignore[no-any-return]


@pytest.fixture
def token(org: dict[str, Any]) -> str:
    return org["api_key"]["token"]  # type: ignore[no-any-return]


@pytest.fixture
def achievement(client: TestClient, token: str) -> dict[str, Any]:
    created = client.post("/api/v1/achievements", json=BADGE, headers=bearer(token)).json()
    return client.post(f"/api/v1/achievements/{created['id']}/publish", headers=bearer(token)).json()  # type: ignore


def _award(client: TestClient, token: str, achievement: dict[str, Any], body: dict[str, Any],
           headers: dict[str, str] | None = None) -> Any:
    return client.post(f"/api/v1/achievements/{achievement['id']}/awards", json=body,
                       headers={**bearer(token), **(headers or {})})


def _credential(client: TestClient, award: dict[str, Any]) -> dict[str, Any]:
    response = client.get(award["links"]["credential"].removeprefix("https://badges.example.org"),
                          headers={"Accept": "application/ld+json"})
    assert response.status_code == 200
    return response.json()  # type: ignore[no-any-return]


def _count(app: Any, model: type) -> int:
    with app.state.db.sessions() as session:
        return session.scalar(select(func.count()).select_from(model))  # type: ignore[no-any-return]


def test_award_by_email_hides_the_address_behind_a_salted_hash(client: TestClient, token: str,
                                                                achievement: dict[str, Any]) -> None:
    response = _award(client, token, achievement, {"recipient": {"email": "  Sylvie.Dupont@Example.FR ",
                                                                 "public": True}})
    assert response.status_code == 201, response.text
    credential = _credential(client, response.json())
    assert "sylvie" not in str(credential).lower()
    identity = credential["credentialSubject"]["identifier"][0]
    assert identity["type"] == "IdentityObject" and identity["hashed"] is True
    assert identity["identityType"] == "emailAddress"
    assert len(bytes.fromhex(identity["salt"])) >= 16
    expected = hashlib.sha256(("sylvie.dupont@example.fr" + identity["salt"]).encode()).hexdigest()
    assert identity["identityHash"] == "sha256$" + expected


def test_each_credential_gets_a_fresh_salt(client: TestClient, token: str, achievement: dict[str, Any]) -> None:
    salts = set()
    for _ in range(3):
        award = _award(client, token, achievement, {"recipient": {"email": "nathan@example.fr", "public": True}}).json()
        salts.add(_credential(client, award)["credentialSubject"]["identifier"][0]["salt"])
    assert len(salts) == 3


def test_credential_is_an_open_badge_signed_by_the_organisation_did_web_key(
        client: TestClient, token: str, achievement: dict[str, Any]) -> None:
    award = _award(client, token, achievement, {"recipient": {"email": "nathan@example.fr", "public": True}}).json()
    credential = _credential(client, award)
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert credential["id"] == award["links"]["credential"]
    assert credential["issuer"]["id"] == "did:web:badges.example.org:orgs:puchot"
    assert credential["issuer"]["type"] == ["Profile"]
    assert isinstance(credential["proof"], list) and len(credential["proof"]) == 1
    proof = credential["proof"][0]
    assert proof["type"] == "DataIntegrityProof" and proof["cryptosuite"] == "eddsa-rdfc-2022"
    assert proof["proofPurpose"] == "assertionMethod"
    did_doc = client.get("/orgs/puchot/did.json").json()
    assert proof["verificationMethod"] in did_doc["assertionMethod"]
    assert credential["credentialSubject"]["achievement"]["id"] == achievement["url"]


def test_display_name_is_published_only_when_asked(client: TestClient, token: str,
                                                   achievement: dict[str, Any]) -> None:
    for recipient in ({"email": "a@b.fr", "public": True},
                      {"email": "a@b.fr", "display_name": "Sylvie D.", "public": True}):
        hidden = _credential(client, _award(client, token, achievement, {"recipient": recipient}).json())
        assert all(i["identityType"] != "name" for i in hidden["credentialSubject"]["identifier"])
        assert "Sylvie" not in json.dumps(hidden)
    shown = _credential(client, _award(client, token, achievement, {"recipient": {
        "email": "a@b.fr", "display_name": "Sylvie D.", "publish_name": True, "public": True}}).json())
    names = [i for i in shown["credentialSubject"]["identifier"] if i["identityType"] == "name"]
    assert names == [{"type": "IdentityObject", "identityHash": "Sylvie D.", "identityType": "name", "hashed": False}]


def test_publishing_a_name_needs_one(client: TestClient, token: str, achievement: dict[str, Any]) -> None:
    response = _award(client, token, achievement, {"recipient": {"email": "a@b.fr", "publish_name": True}})
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "recipient"


def test_level_is_carried_in_the_result(client: TestClient, token: str, achievement: dict[str, Any]) -> None:
    award = _award(client, token, achievement, {"recipient": {"email": "a@b.fr", "public": True},
                                                "level": "J'agis, je sais faire"})
    result = _credential(client, award.json())["credentialSubject"]["result"]
    assert result == [{"type": ["Result"], "resultDescription": achievement["url"] + "#levels",
                       "achievedLevel": achievement["url"] + "#level-3"}]


def test_unknown_level_is_422_and_stores_nothing(client: TestClient, token: str, achievement: dict[str, Any],
                                                 app: Any) -> None:
    response = _award(client, token, achievement, {"recipient": {"email": "a@b.fr"}, "level": "Expert"})
    assert response.status_code == 422
    assert response.json()["code"] == "unknown_level"
    assert "Je soutiens" in response.json()["message_fr"]
    assert _count(app, Award) == 0


def test_award_without_identifier_returns_a_claim_code(client: TestClient, token: str,
                                                       achievement: dict[str, Any]) -> None:
    award = _award(client, token, achievement, {"recipient": {"public": True}}).json()  # no identifier: a code
    assert award["recipient_kind"] == "none"
    assert len(award["claim_code"].replace("-", "")) == 16
    assert client.get(f"/api/v1/awards/{award['id']}", headers=bearer(token)).json()["claim_code"] is None
    subject = _credential(client, award)["credentialSubject"]
    assert subject["id"].startswith("urn:uuid:") and "identifier" not in subject


def test_award_to_a_did_uses_it_as_subject(client: TestClient, token: str, achievement: dict[str, Any]) -> None:
    did = "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
    award = _award(client, token, achievement, {"recipient": {"did": did, "public": True}}).json()
    assert _credential(client, award)["credentialSubject"]["id"] == did


def test_evidence_and_narrative_are_in_the_credential(client: TestClient, token: str,
                                                      achievement: dict[str, Any]) -> None:
    award = _award(client, token, achievement, {
        "recipient": {"phone": "06 12 34 56 78", "public": True}, "narrative": "A animé l'atelier « papier mâché ».",
        "evidence": [{"url": "https://centre.example/photos/atelier.jpg", "name": "Photo de l'atelier"},
                     {"narrative": "Extrait de la lettre d'information de mars."}]}).json()
    credential = _credential(client, award)
    assert credential["credentialSubject"]["narrative"] == "A animé l'atelier « papier mâché »."
    assert credential["evidence"][0] == {"type": ["Evidence"], "id": "https://centre.example/photos/atelier.jpg",
                                         "name": "Photo de l'atelier"}
    identity = credential["credentialSubject"]["identifier"][0]
    assert identity["identityHash"] == "sha256$" + hashlib.sha256(("+33612345678" + identity["salt"]).encode()
                                                                  ).hexdigest()


def test_validity_dates(client: TestClient, token: str, achievement: dict[str, Any]) -> None:
    award = _award(client, token, achievement, {"recipient": {"email": "a@b.fr", "public": True},
                                                "validFrom": "2026-01-01T10:00:00+01:00",
                                                "validUntil": "2027-01-01T00:00:00Z"}).json()
    credential = _credential(client, award)
    assert credential["validFrom"] == "2026-01-01T09:00:00Z"
    assert credential["validUntil"] == "2027-01-01T00:00:00Z"


@pytest.mark.parametrize("body", [
    {"recipient": {"email": "a@b.fr"}, "validFrom": "2026-01-01T00:00:00Z", "validUntil": "2025-01-01T00:00:00Z"},
    {"recipient": {"email": "a@b.fr"}, "validFrom": "2026-01-01T00:00:00"},
    {"recipient": {"email": "a@b.fr", "phone": "0612345678"}},
    {"recipient": {"email": "pas un email"}},
    {"recipient": {"did": "not-a-did"}},
    {"recipient": {"email": "a@b.fr"}, "proof": []},
    {"recipient": {"email": "a@b.fr"}, "status": "revoked"},
    {"recipient": {"email": "a@b.fr"}, "id": "mine"},
])
def test_invalid_awards_are_422_and_store_nothing(client: TestClient, token: str, achievement: dict[str, Any],
                                                  app: Any, body: dict[str, Any]) -> None:
    assert _award(client, token, achievement, body).status_code == 422
    assert _count(app, Award) == 0


def test_draft_achievement_cannot_be_awarded(client: TestClient, token: str, app: Any) -> None:
    draft = client.post("/api/v1/achievements", json=BADGE, headers=bearer(token)).json()
    response = _award(client, token, draft, {"recipient": {"email": "a@b.fr"}})
    assert response.status_code == 409 and response.json()["code"] == "achievement_not_published"
    assert _count(app, Award) == 0


def test_another_organisation_cannot_award_or_read(client: TestClient, token: str, achievement: dict[str, Any],
                                                   make_org: Any) -> None:
    other = make_org("autre")["api_key"]["token"]
    assert _award(client, other, achievement, {"recipient": {"email": "a@b.fr"}}).status_code == 404
    award = _award(client, token, achievement, {"recipient": {"email": "a@b.fr"}}).json()
    assert client.get(f"/api/v1/awards/{award['id']}", headers=bearer(other)).status_code == 404
    assert client.post(f"/api/v1/awards/{award['id']}/revoke", headers=bearer(other)).status_code == 404


def test_read_scope_cannot_award(client: TestClient, token: str, achievement: dict[str, Any]) -> None:
    reader = client.post("/api/v1/api-keys", json={"scopes": ["read"]}, headers=bearer(token)).json()["token"]
    assert _award(client, reader, achievement, {"recipient": {"email": "a@b.fr"}}).status_code == 403


def test_unknown_credential_is_404(client: TestClient) -> None:
    assert client.get("/credentials/nope").status_code == 404


def test_credential_ids_are_unguessable(client: TestClient, token: str, achievement: dict[str, Any]) -> None:
    ids = [_award(client, token, achievement, {}).json()["id"] for _ in range(3)]
    assert len(set(ids)) == 3 and all(len(i) >= 22 for i in ids)


# --- Idempotency-Key -------------------------------------------------------------------------------------------

def test_same_idempotency_key_and_body_replays_the_first_response(client: TestClient, token: str,
                                                                  achievement: dict[str, Any], app: Any) -> None:
    body = {"recipient": {"email": "a@b.fr"}}
    first = _award(client, token, achievement, body, {"Idempotency-Key": "form-42"})
    second = _award(client, token, achievement, body, {"Idempotency-Key": "form-42"})
    assert first.status_code == second.status_code == 201
    assert second.json() == first.json()
    assert second.headers["idempotent-replayed"] == "true"
    assert _count(app, Award) == 1


def test_same_idempotency_key_with_another_body_is_422(client: TestClient, token: str,
                                                       achievement: dict[str, Any], app: Any) -> None:
    _award(client, token, achievement, {"recipient": {"email": "a@b.fr"}}, {"Idempotency-Key": "form-42"})
    response = _award(client, token, achievement, {"recipient": {"email": "c@d.fr"}}, {"Idempotency-Key": "form-42"})
    assert response.status_code == 422 and response.json()["code"] == "idempotency_key_reused"
    assert _count(app, Award) == 1


def test_two_organisations_may_use_the_same_idempotency_key(client: TestClient, token: str,
                                                            achievement: dict[str, Any], make_org: Any) -> None:
    other = make_org("autre")["api_key"]["token"]
    other_badge = client.post("/api/v1/achievements", json=BADGE, headers=bearer(other)).json()
    other_badge = client.post(f"/api/v1/achievements/{other_badge['id']}/publish", headers=bearer(other)).json()
    a = _award(client, token, achievement, {"recipient": {"email": "a@b.fr"}}, {"Idempotency-Key": "k"})
    b = _award(client, other, other_badge, {"recipient": {"email": "a@b.fr"}}, {"Idempotency-Key": "k"})
    assert a.status_code == b.status_code == 201 and a.json()["id"] != b.json()["id"]


def test_failed_award_does_not_consume_the_idempotency_key(client: TestClient, token: str,
                                                           achievement: dict[str, Any], app: Any) -> None:
    bad = _award(client, token, achievement, {"recipient": {"email": "a@b.fr"}, "level": "Expert"},
                 {"Idempotency-Key": "k"})
    assert bad.status_code == 422
    assert _count(app, IdempotencyRecord) == 0


def test_concurrent_requests_with_one_key_give_one_201_and_one_409(client: TestClient, token: str,
                                                                   achievement: dict[str, Any], app: Any) -> None:
    barrier = threading.Barrier(2)
    statuses: list[int] = []

    def post() -> None:
        with TestClient(app, base_url="https://badges.example.org") as own:
            barrier.wait()
            statuses.append(_award(own, token, achievement, {"recipient": {"email": "a@b.fr"}},
                                   {"Idempotency-Key": "same"}).status_code)

    threads = [threading.Thread(target=post) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(statuses) in ([201, 409], [201, 201])
    assert _count(app, Award) == 1
