"""Every award is also an OB 2.0 Assertion: hosted, signed (RS256 JWS), revocable together with its 3.0 status."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from jwcrypto import jwk, jws

from app.badges import identity
from app.badges.bitstring import Bitstring
from tests.conftest import bearer

BASE = "https://badges.example.org"
BADGE = {"name": "Cuisine du monde", "description": "Partager une recette avec le quartier.",
         "criteria": {"narrative": "A animé un atelier cuisine."}, "tags": ["savoir-faire"],
         "alignments": [{"targetName": "Cuisiner", "targetUrl": "https://esco.example/skill/cook",
                         "targetFramework": "ESCO", "targetCode": "S1.2"}],
         "levels": [{"name": "Je soutiens"}, {"name": "J'explore"}, {"name": "J'agis", "criteria": "Anime seul."}]}


@pytest.fixture
def achievement(client: TestClient, token: str) -> dict[str, Any]:
    created = client.post("/api/v1/achievements", json=BADGE, headers=bearer(token)).json()
    return client.post(f"/api/v1/achievements/{created['id']}/publish", headers=bearer(token)).json()  # type: ignore


def _award(client: TestClient, token: str, achievement: dict[str, Any], **body: Any) -> dict[str, Any]:
    """An award of ``body``, issued public (its recipient agreed): its hosted assertion is served."""
    body["recipient"] = {**body.get("recipient", {"email": "Sylvie@Example.fr"}), "public": True}
    response = client.post(f"/api/v1/achievements/{achievement['id']}/awards", json=body, headers=bearer(token))
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def _path(url: str) -> str:
    assert url.startswith(BASE), url
    return url.removeprefix(BASE)


def _get(client: TestClient, url: str, **headers: str) -> Any:
    response = client.get(_path(url), headers=headers)
    assert response.status_code == 200, response.text
    return response


def _hosted(client: TestClient, award: dict[str, Any]) -> dict[str, Any]:
    return _get(client, award["links"]["ob2_assertion"]).json()  # type: ignore[no-any-return]


def _b64json(segment: str) -> Any:
    return json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))


def test_hosted_assertion_is_served_at_its_id_as_json_ld(client: TestClient, token: str,
                                                          achievement: dict[str, Any]) -> None:
    award = _award(client, token, achievement)
    response = _get(client, award["links"]["ob2_assertion"])
    assert response.headers["content-type"].startswith("application/ld+json")
    body = response.json()
    assert body["@context"] == "https://w3id.org/openbadges/v2"
    assert body["type"] == "Assertion" and body["id"] == award["links"]["ob2_assertion"]
    assert body["verification"] == {"type": "HostedBadge"}
    assert body["issuedOn"].endswith("Z")


def test_plain_json_when_only_json_is_accepted(client: TestClient, token: str, achievement: dict[str, Any]) -> None:
    award = _award(client, token, achievement)
    response = _get(client, award["links"]["ob2_assertion"], accept="application/json")
    assert response.headers["content-type"].startswith("application/json")


def test_recipient_reuses_the_award_salt_and_hash(client: TestClient, token: str,
                                                  achievement: dict[str, Any]) -> None:
    award = _award(client, token, achievement)
    credential = _get(client, award["links"]["credential"]).json()
    (ob3_identity,) = credential["credentialSubject"]["identifier"]
    recipient = _hosted(client, award)["recipient"]
    assert recipient == {"type": "email", "hashed": True, "salt": ob3_identity["salt"],
                         "identity": ob3_identity["identityHash"]}
    assert identity.matches(recipient["identity"], "sylvie@example.fr", recipient["salt"])


def test_recipient_without_identifier_is_a_salted_hash_of_the_subject_id(client: TestClient, token: str,
                                                                         achievement: dict[str, Any]) -> None:
    award = _award(client, token, achievement, recipient={})
    subject_id = _get(client, award["links"]["credential"]).json()["credentialSubject"]["id"]
    recipient = _hosted(client, award)["recipient"]
    assert recipient["type"] == "id" and recipient["hashed"] is True and len(recipient["salt"]) >= 32
    assert identity.matches(recipient["identity"], subject_id, recipient["salt"])
    assert _hosted(client, award) == _hosted(client, award)  # stable from one fetch to the next


def test_badge_class_and_issuer_share_the_assertion_origin(client: TestClient, token: str,
                                                           achievement: dict[str, Any]) -> None:
    award = _award(client, token, achievement)
    assertion = _hosted(client, award)
    badge = _get(client, assertion["badge"]).json()
    assert badge["type"] == "BadgeClass" and badge["id"] == assertion["badge"]
    assert badge["name"] == BADGE["name"] and badge["tags"] == ["savoir-faire"]
    assert badge["alignment"] == BADGE["alignments"]
    issuer = _get(client, badge["issuer"]).json()
    assert issuer["type"] == "Issuer" and issuer["id"] == badge["issuer"]
    assert {issuer["name"], issuer["url"], issuer["email"]} and assertion["id"].startswith(BASE + "/")
    assert issuer["id"].startswith(BASE + "/")


def test_badge_class_criteria_describe_every_level(client: TestClient, token: str,
                                                   achievement: dict[str, Any]) -> None:
    badge = _get(client, _hosted(client, _award(client, token, achievement))["badge"]).json()
    narrative = badge["criteria"]["narrative"]
    assert "A animé un atelier cuisine." in narrative
    assert "Niveau 3 « J'agis » : Anime seul." in narrative


def test_badge_class_without_image_points_at_a_served_generated_svg(client: TestClient, token: str,
                                                                    achievement: dict[str, Any]) -> None:
    badge = _get(client, _hosted(client, _award(client, token, achievement))["badge"]).json()
    response = _get(client, badge["image"])
    assert response.headers["content-type"] == "image/svg+xml"
    assert "script-src 'none'" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"
    assert b"Cuisine du monde" in response.content


def test_level_narrative_evidence_and_expiry_are_carried(client: TestClient, token: str,
                                                         achievement: dict[str, Any]) -> None:
    award = _award(client, token, achievement, level="J'agis", narrative="A préparé un couscous pour 40.",
                   evidence=[{"url": "https://puchot.example/photo.jpg", "name": "Photo"}],
                   validUntil="2030-01-01T00:00:00Z")
    assertion = _hosted(client, award)
    assert assertion["narrative"] == "Niveau : J'agis\n\nA préparé un couscous pour 40."
    assert assertion["evidence"] == [{"id": "https://puchot.example/photo.jpg", "name": "Photo"}]
    assert assertion["expires"] == "2030-01-01T00:00:00Z"


def test_backdated_award_is_issued_on_its_valid_from(client: TestClient, token: str,
                                                     achievement: dict[str, Any]) -> None:
    award = _award(client, token, achievement, validFrom="2025-06-01T10:00:00Z")
    assert _hosted(client, award)["issuedOn"] == "2025-06-01T10:00:00Z"


def _verify_signed(client: TestClient, token_text: str) -> dict[str, Any]:
    """Verify the JWS with the CryptographicKey its creator names, checking the key is the issuer's."""
    header, payload_segment, _ = token_text.split(".")
    assert _b64json(header) == {"alg": "RS256"}
    payload = _b64json(payload_segment)
    key_doc = _get(client, payload["verification"]["creator"]).json()
    badge = _get(client, payload["badge"]).json()
    issuer = _get(client, badge["issuer"]).json()
    assert key_doc["type"] == "CryptographicKey" and key_doc["owner"] == issuer["id"]
    assert key_doc["id"] in issuer["publicKey"]
    verifier = jws.JWS()
    verifier.deserialize(token_text)
    verifier.verify(jwk.JWK.from_pem(key_doc["publicKeyPem"].encode()), alg="RS256")
    return payload  # type: ignore[no-any-return]


def test_signed_assertion_verifies_with_the_issuer_cryptographic_key(client: TestClient, token: str,
                                                                     achievement: dict[str, Any]) -> None:
    award = _award(client, token, achievement)
    response = _get(client, award["links"]["ob2_signed"])
    payload = _verify_signed(client, response.text)
    assert payload["verification"]["type"] == "SignedBadge"
    assert payload["id"].startswith("urn:uuid:")
    assert payload["recipient"] == _hosted(client, award)["recipient"]


def test_tampered_signed_assertion_fails(client: TestClient, token: str, achievement: dict[str, Any]) -> None:
    award = _award(client, token, achievement)
    header, payload_segment, signature = _get(client, award["links"]["ob2_signed"]).text.split(".")
    payload = _b64json(payload_segment)
    payload["issuedOn"] = "2020-01-01T00:00:00Z"
    forged = base64.urlsafe_b64encode(json.dumps(payload).encode()).rstrip(b"=").decode()
    with pytest.raises(jws.InvalidJWSSignature):
        _verify_signed(client, f"{header}.{forged}.{signature}")


def test_after_a_key_rotation_the_issuer_declares_only_the_new_key_and_signed_copies_are_re_signed(
        client: TestClient, token: str, achievement: dict[str, Any]) -> None:
    award = _award(client, token, achievement)
    before = _get(client, award["links"]["ob2_signed"]).text
    for _ in range(2):
        assert client.post("/api/v1/keys/rotate", headers=bearer(token)).status_code == 201
    issuer = _get(client, f"{BASE}/ob2/issuers/puchot").json()
    assert len(issuer["publicKey"]) == 1  # the 1EdTech validator accepts one key per issuer
    assert _b64json(before.split(".")[1])["verification"]["creator"] not in issuer["publicKey"]
    after = _get(client, award["links"]["ob2_signed"]).text
    assert _b64json(after.split(".")[1])["verification"]["creator"] != \
        _b64json(before.split(".")[1])["verification"]["creator"]
    _verify_signed(client, after)


def _revoked_ids(client: TestClient) -> set[str]:
    issuer = _get(client, f"{BASE}/ob2/issuers/puchot").json()
    revocations = _get(client, issuer["revocationList"]).json()
    assert revocations["type"] == "RevocationList" and revocations["issuer"] == issuer["id"]
    assert isinstance(revocations["revokedAssertions"], list)
    return {entry["id"] for entry in revocations["revokedAssertions"]}


def test_revoked_hosted_assertion_answers_410_gone(client: TestClient, token: str,
                                                   achievement: dict[str, Any]) -> None:
    award = _award(client, token, achievement)
    client.post(f"/api/v1/awards/{award['id']}/revoke", json={"reason": "Attribué par erreur"},
                headers=bearer(token)).raise_for_status()
    response = client.get(_path(award["links"]["ob2_assertion"]))
    assert response.status_code == 410
    assert response.json() == {"@context": "https://w3id.org/openbadges/v2", "id": award["links"]["ob2_assertion"],
                               "revoked": True, "revocationReason": "Attribué par erreur"}


def test_an_award_that_starts_later_is_issued_on_its_start_date_not_before(client: TestClient, token: str,
                                                                           achievement: dict[str, Any]) -> None:
    award = _award(client, token, achievement, validFrom="2040-09-01T00:00:00Z")
    hosted = _get(client, award["links"]["ob2_assertion"]).json()
    assert hosted["issuedOn"] == "2040-09-01T00:00:00Z"  # verifiers refuse an issue date in the future until then


def test_one_revoke_call_updates_the_revocation_list_and_the_status_list(client: TestClient, token: str,
                                                                         achievement: dict[str, Any]) -> None:
    award = _award(client, token, achievement)
    signed_id = _b64json(_get(client, award["links"]["ob2_signed"]).text.split(".")[1])["id"]
    assert signed_id not in _revoked_ids(client)
    client.post(f"/api/v1/awards/{award['id']}/revoke", json={}, headers=bearer(token)).raise_for_status()
    assert signed_id in _revoked_ids(client)
    status = _get(client, award["links"]["credential"]).json()["credentialStatus"]
    encoded = _get(client, status["statusListCredential"]).json()["credentialSubject"]["encodedList"]
    assert Bitstring.decode(encoded).get(int(status["statusListIndex"]))


def test_suspension_reads_as_revoked_in_2_0_until_lifted(client: TestClient, token: str,
                                                         achievement: dict[str, Any]) -> None:
    award = _award(client, token, achievement)
    signed_id = _b64json(_get(client, award["links"]["ob2_signed"]).text.split(".")[1])["id"]
    client.post(f"/api/v1/awards/{award['id']}/suspend", json={}, headers=bearer(token)).raise_for_status()
    assert client.get(_path(award["links"]["ob2_assertion"])).status_code == 410
    assert signed_id in _revoked_ids(client)
    client.post(f"/api/v1/awards/{award['id']}/unsuspend", json={}, headers=bearer(token)).raise_for_status()
    assert client.get(_path(award["links"]["ob2_assertion"])).status_code == 200
    assert signed_id not in _revoked_ids(client)


def test_unknown_assertion_and_draft_badge_class_are_404(client: TestClient, token: str) -> None:
    draft = client.post("/api/v1/achievements", json=BADGE, headers=bearer(token)).json()
    assert client.get("/ob2/assertions/nope").status_code == 404
    assert client.get("/ob2/assertions/nope.jws").status_code == 404
    assert client.get(f"/ob2/badges/{draft['id']}").status_code == 404
    assert client.get("/ob2/issuers/nope/revocations").status_code == 404
