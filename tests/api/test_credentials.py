"""Issued credentials: content negotiation, VC-JWT per OB 3.0 §8.2, JSON Schema, status lists, revocation,
key rotation."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from fastapi.testclient import TestClient
from jwcrypto import jwk, jws

from app.badges.bitstring import Bitstring
from app.signing.data_integrity import list_proofs, verify_proof
from app.signing.loader import make_loader
from app.signing.multikey import decode_public_key
from tests.conftest import bearer

BASE = "https://badges.example.org"
SCHEMAS = Path(__file__).resolve().parents[1] / "vectors" / "ob3-json-schemas-2024-04-03"
BADGE = {"name": "Cuisine du monde", "description": "Partager une recette avec le quartier.",
         "criteria": {"narrative": "A animé un atelier cuisine."},
         "levels": [{"name": "Je soutiens"}, {"name": "J'explore"}, {"name": "J'agis"}]}


@pytest.fixture
def token(make_org: Any) -> str:
    return make_org("puchot")["api_key"]["token"]  # type: ignore[no-any-return]


@pytest.fixture
def achievement(client: TestClient, token: str) -> dict[str, Any]:
    created = client.post("/api/v1/achievements", json=BADGE, headers=bearer(token)).json()
    return client.post(f"/api/v1/achievements/{created['id']}/publish", headers=bearer(token)).json()  # type: ignore


def _award(client: TestClient, token: str, achievement: dict[str, Any], **body: Any) -> dict[str, Any]:
    """An award of ``body``, issued public (its recipient agreed): its address serves its credential."""
    body.setdefault("recipient", {"email": "sylvie@example.fr"})
    if body["recipient"] is not None:  # (None: a group's award, public anyway)
        body["recipient"] = {**body["recipient"], "public": True}
    response = client.post(f"/api/v1/achievements/{achievement['id']}/awards", json=body, headers=bearer(token))
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def _path(url: str) -> str:
    assert url.startswith(BASE)
    return url.removeprefix(BASE)


def _get_json(client: TestClient, url: str) -> Any:
    response = client.get(_path(url))
    assert response.status_code == 200, response.text
    return response.json()


def _verify_with_did_web(client: TestClient, credential: dict[str, Any]) -> None:
    """Resolve the proof's verification method through the served did.json, check controller == issuer."""
    (ref,) = list_proofs(credential)
    did, _, _ = ref.verification_method.partition("#")
    assert did == credential["issuer"]["id"] if isinstance(credential["issuer"], dict) else credential["issuer"]
    slug = did.split(":")[-1]
    doc = client.get(f"/orgs/{slug}/did.json").json()
    (vm,) = [m for m in doc["verificationMethod"] if m["id"] == ref.verification_method]
    assert vm["controller"] == did and vm["id"] in doc["assertionMethod"]
    verify_proof(credential, ref.proof, public_key=decode_public_key(vm["publicKeyMultibase"]), loader=make_loader())


@pytest.mark.parametrize("accept", ["application/ld+json", "application/vc+ld+json", "application/json", "*/*"])
def test_json_ld_by_content_negotiation(client: TestClient, token: str, achievement: dict[str, Any],
                                        accept: str) -> None:
    award = _award(client, token, achievement)
    response = client.get(_path(award["links"]["credential"]), headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/ld+json" if accept == "*/*" else accept)
    assert response.json()["id"] == award["links"]["credential"]


def test_unacceptable_media_type_is_406(client: TestClient, token: str, achievement: dict[str, Any]) -> None:
    award = _award(client, token, achievement)
    response = client.get(_path(award["links"]["credential"]), headers={"Accept": "image/gif"})
    assert response.status_code == 406 and response.json()["code"] == "not_acceptable"


def test_issued_credential_verifies_through_did_web(client: TestClient, token: str,
                                                    achievement: dict[str, Any]) -> None:
    award = _award(client, token, achievement, level="J'agis")
    _verify_with_did_web(client, _get_json(client, award["links"]["credential"]))


def test_issued_credential_validates_against_the_ob3_json_schema(client: TestClient, token: str,
                                                                  achievement: dict[str, Any]) -> None:
    schema = json.loads((SCHEMAS / "ob_v3p0_achievementcredential_schema.jsonld-variant.json").read_text())
    for body in ({}, {"recipient": {"email": "a@b.fr", "display_name": "Nathan"}, "level": "J'explore",
                      "narrative": "Émission de radio « Les voix du Puchot »",
                      "evidence": [{"url": "https://p.example/photo.jpg", "narrative": "Photo"}],
                      "validUntil": "2030-01-01T00:00:00Z"}):
        credential = _get_json(client, _award(client, token, achievement, **body)["links"]["credential"])
        jsonschema.Draft201909Validator(schema).validate(credential)


def _decode_jwt(client: TestClient, token: str) -> tuple[dict[str, Any], dict[str, Any]]:
    parsed = jws.JWS()
    parsed.deserialize(token)
    header = parsed.jose_header
    key = jwk.JWK(**_get_json(client, header["kid"]))
    parsed.verify(key, alg=header["alg"])
    return header, json.loads(parsed.payload)


@pytest.mark.parametrize("alg", ["RS256", "ES256"])
def test_vc_jwt_follows_ob3_section_8_2(client: TestClient, token: str, achievement: dict[str, Any],
                                        alg: str) -> None:
    award = _award(client, token, achievement, validUntil="2031-06-01T00:00:00Z")
    response = client.get(_path(award["links"]["credential"]) + f"?alg={alg}", headers={"Accept": "application/jwt"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/jwt")
    header, claims = _decode_jwt(client, response.text)
    assert set(header) == {"alg", "kid", "typ"} and header["alg"] == alg and header["typ"] == "JWT"
    credential = _get_json(client, award["links"]["credential"])
    assert "vc" not in claims
    assert claims["iss"] == credential["issuer"]["id"]
    assert claims["jti"] == credential["id"]
    assert claims["sub"] == credential["credentialSubject"]["id"]
    assert claims["nbf"] == int(__import__("datetime").datetime.fromisoformat(
        credential["validFrom"].replace("Z", "+00:00")).timestamp())
    assert claims["exp"] == 1938038400
    assert {k: v for k, v in claims.items() if k not in {"iss", "jti", "sub", "nbf", "exp"}} == credential


def test_jwt_kid_dereferences_to_exactly_one_jwk(client: TestClient, token: str, achievement: dict[str, Any]) -> None:
    award = _award(client, token, achievement)
    jwt = client.get(_path(award["links"]["credential"]), headers={"Accept": "application/jwt"}).text
    header = json.loads(__import__("base64").urlsafe_b64decode(jwt.split(".")[0] + "=="))
    key = _get_json(client, header["kid"])
    assert key["kty"] == "RSA" and "keys" not in key and "d" not in key


@pytest.mark.parametrize("alg", ["RS256", "ES256"])
def test_jwt_kid_as_a_did_url_names_a_key_the_did_document_lists_for_assertions(
        client: TestClient, token: str, achievement: dict[str, Any], alg: str) -> None:
    award = _award(client, token, achievement)
    response = client.get(_path(award["links"]["credential"]) + f"?alg={alg}&kid=did",
                          headers={"Accept": "application/jwt"})
    parsed = jws.JWS()
    parsed.deserialize(response.text)
    kid = parsed.jose_header["kid"]
    did, _, fragment = kid.partition("#")
    assert did == "did:web:badges.example.org:orgs:puchot" and fragment
    document = _get_json(client, "https://badges.example.org/orgs/puchot/did.json")
    assert kid in document["assertionMethod"]
    (method,) = [m for m in document["verificationMethod"] if m["id"] == kid]
    parsed.verify(jwk.JWK(**method["publicKeyJwk"]), alg=alg)
    assert json.loads(parsed.payload)["iss"] == did


def test_status_list_credential_is_signed_and_large_enough(client: TestClient, token: str,
                                                           achievement: dict[str, Any]) -> None:
    award = _award(client, token, achievement)
    credential = _get_json(client, award["links"]["credential"])
    entry = credential["credentialStatus"]
    assert entry["type"] == "BitstringStatusListEntry" and entry["statusPurpose"] == "revocation"
    assert isinstance(entry["statusListIndex"], str)
    listing = client.get(_path(entry["statusListCredential"]))
    assert listing.headers["etag"] and "no-cache" in listing.headers["cache-control"]
    status_list = listing.json()
    assert status_list["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert status_list["issuer"] == credential["issuer"]["id"]
    _verify_with_did_web(client, status_list)
    bits = Bitstring.decode(status_list["credentialSubject"]["encodedList"])
    assert bits.size >= 131_072
    assert not bits.get(int(entry["statusListIndex"]))


def _bit(client: TestClient, list_url: str, index: int) -> bool:
    return Bitstring.decode(_get_json(client, list_url)["credentialSubject"]["encodedList"]).get(index)


def test_revocation_is_visible_in_the_next_list_fetch(client: TestClient, token: str,
                                                      achievement: dict[str, Any]) -> None:
    award = _award(client, token, achievement)
    entry = _get_json(client, award["links"]["credential"])["credentialStatus"]
    before = client.get(_path(entry["statusListCredential"])).headers["etag"]
    response = client.post(f"/api/v1/awards/{award['id']}/revoke", json={"reason": "Erreur de saisie"},
                           headers=bearer(token))
    assert response.status_code == 200 and response.json()["status"] == "revoked"
    assert response.json()["revocation_reason"] == "Erreur de saisie"
    assert _bit(client, entry["statusListCredential"], int(entry["statusListIndex"]))
    assert client.get(_path(entry["statusListCredential"])).headers["etag"] != before


def test_revoking_twice_is_idempotent(client: TestClient, token: str, achievement: dict[str, Any]) -> None:
    award = _award(client, token, achievement)
    first = client.post(f"/api/v1/awards/{award['id']}/revoke", headers=bearer(token))
    second = client.post(f"/api/v1/awards/{award['id']}/revoke", headers=bearer(token))
    assert first.status_code == second.status_code == 200
    assert second.json()["status"] == "revoked"


def test_suspend_and_unsuspend_flip_the_suspension_list(client: TestClient, token: str,
                                                        achievement: dict[str, Any]) -> None:
    award = _award(client, token, achievement)
    entry = _get_json(client, award["links"]["credential"])["credentialStatus"]
    suspension_url = entry["statusListCredential"] + "s"
    index = int(entry["statusListIndex"])
    assert client.post(f"/api/v1/awards/{award['id']}/suspend", headers=bearer(token)).json()["status"] == "suspended"
    assert _bit(client, suspension_url, index)
    assert _get_json(client, suspension_url)["credentialSubject"]["statusPurpose"] == "suspension"
    assert not _bit(client, entry["statusListCredential"], index)
    assert client.post(f"/api/v1/awards/{award['id']}/unsuspend", headers=bearer(token)).json()["status"] == "active"
    assert not _bit(client, suspension_url, index)


def test_a_revoked_credential_cannot_be_unsuspended(client: TestClient, token: str,
                                                    achievement: dict[str, Any]) -> None:
    award = _award(client, token, achievement)
    client.post(f"/api/v1/awards/{award['id']}/revoke", headers=bearer(token))
    response = client.post(f"/api/v1/awards/{award['id']}/unsuspend", headers=bearer(token))
    assert response.status_code == 409


def test_revoke_requires_the_revoke_scope(client: TestClient, token: str, achievement: dict[str, Any]) -> None:
    award = _award(client, token, achievement)
    issuer = client.post("/api/v1/api-keys", json={"scopes": ["issue"]}, headers=bearer(token)).json()["token"]
    assert client.post(f"/api/v1/awards/{award['id']}/revoke", headers=bearer(issuer)).status_code == 403


def test_status_indexes_are_random_and_unique(client: TestClient, token: str, achievement: dict[str, Any]) -> None:
    indexes = [int(_get_json(client, _award(client, token, achievement)["links"]["credential"])
                   ["credentialStatus"]["statusListIndex"]) for _ in range(12)]
    assert len(set(indexes)) == 12
    assert indexes != sorted(indexes)


def test_old_credentials_still_verify_after_key_rotation(client: TestClient, token: str,
                                                         achievement: dict[str, Any]) -> None:
    old = _get_json(client, _award(client, token, achievement)["links"]["credential"])
    old_jwt_response = client.get(_path(old["id"]), headers={"Accept": "application/jwt"}).text
    assert client.post("/api/v1/keys/rotate", headers=bearer(token)).status_code == 201
    new = _get_json(client, _award(client, token, achievement)["links"]["credential"])
    assert old["proof"][0]["verificationMethod"] != new["proof"][0]["verificationMethod"]
    _verify_with_did_web(client, old)
    _verify_with_did_web(client, new)
    _decode_jwt(client, old_jwt_response)  # the retired RSA key is still served at its kid URL


# --- collective badges ----------------------------------------------------------------------------------------

def _group(client: TestClient, token: str) -> dict[str, Any]:
    response = client.post("/api/v1/groups", json={
        "name": "Atelier web radio", "description": "Saison 2026",
        "members": [{"email": "nathan@example.fr", "display_name": "Nathan", "public": True},
                    {"phone": "06 11 22 33 44", "public": True}, {"public": True}]},
        headers=bearer(token))
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def test_group_award_gives_the_group_and_each_member_a_credential(client: TestClient, token: str,
                                                                  achievement: dict[str, Any]) -> None:
    group = _group(client, token)
    award = _award(client, token, achievement, recipient=None, group_id=group["id"], level="J'agis")
    assert award["recipient_kind"] == "group" and len(award["members"]) == 3
    group_credential = _get_json(client, award["links"]["credential"])
    names = [i["identityHash"] for i in group_credential["credentialSubject"]["identifier"]]
    assert names == ["Atelier web radio"]
    for member in award["members"]:
        credential = _get_json(client, member["links"]["credential"])
        assert member["parent_award_id"] == award["id"]
        assert credential["evidence"][-1]["id"] == award["links"]["credential"]
        _verify_with_did_web(client, credential)


def test_revoking_the_group_award_revokes_every_member(client: TestClient, token: str,
                                                       achievement: dict[str, Any]) -> None:
    award = _award(client, token, achievement, recipient=None, group_id=_group(client, token)["id"])
    client.post(f"/api/v1/awards/{award['id']}/revoke", json={"reason": "Projet annulé"}, headers=bearer(token))
    for member in award["members"]:
        assert client.get(f"/api/v1/awards/{member['id']}", headers=bearer(token)).json()["status"] == "revoked"
        entry = _get_json(client, member["links"]["credential"])["credentialStatus"]
        assert _bit(client, entry["statusListCredential"], int(entry["statusListIndex"]))


def test_group_of_another_organisation_is_404(client: TestClient, token: str, achievement: dict[str, Any],
                                              make_org: Any) -> None:
    other = make_org("autre")["api_key"]["token"]
    group = _group(client, other)
    response = client.post(f"/api/v1/achievements/{achievement['id']}/awards", json={"group_id": group["id"]},
                           headers=bearer(token))
    assert response.status_code == 404
