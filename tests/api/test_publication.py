"""Public documents: OB 2.0 issuer profile and keys, OB 3.0 profile, caching headers."""

from __future__ import annotations

from typing import Any

from cryptography.hazmat.primitives import serialization
from fastapi.testclient import TestClient

from tests.conftest import bearer


def test_ob2_issuer_profile_points_at_its_rsa_cryptographic_keys(client: TestClient, make_org: Any) -> None:
    make_org("puchot", description="Réseau d'échanges")
    response = client.get("/ob2/issuers/puchot")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/ld+json"
    profile = response.json()
    assert profile["@context"] == "https://w3id.org/openbadges/v2"
    assert profile["type"] == "Issuer"
    assert profile["id"] == "https://badges.example.org/ob2/issuers/puchot"
    assert {"name", "url", "email"} <= profile.keys()
    assert len(profile["publicKey"]) == 1
    key = client.get(profile["publicKey"][0].removeprefix("https://badges.example.org")).json()
    assert key["type"] == "CryptographicKey"
    assert key["id"] == profile["publicKey"][0]
    assert key["owner"] == profile["id"]
    public = serialization.load_pem_public_key(key["publicKeyPem"].encode())
    assert public.key_size == 2048  # type: ignore[union-attr]


def test_ob2_key_document_is_404_for_non_rsa_keys(client: TestClient, make_org: Any) -> None:
    token = make_org()["api_key"]["token"]
    ed = next(k for k in client.get("/api/v1/keys", headers=bearer(token)).json() if k["algorithm"] == "Ed25519")
    assert client.get(f"/ob2/keys/{ed['id']}").status_code == 404


def test_ob3_profile_uses_the_did_web_id(client: TestClient, make_org: Any) -> None:
    make_org("puchot")
    profile = client.get("/orgs/puchot/profile").json()
    assert profile["id"] == "did:web:badges.example.org:orgs:puchot"
    assert profile["type"] == ["Profile"]
    assert profile["@context"][0] == "https://www.w3.org/ns/credentials/v2"


def test_public_documents_are_cacheable_and_conditional(client: TestClient, make_org: Any) -> None:
    make_org("puchot")
    first = client.get("/orgs/puchot/did.json")
    assert first.headers["cache-control"].startswith("public")
    etag = first.headers["etag"]
    again = client.get("/orgs/puchot/did.json", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""


def test_etag_changes_when_keys_change(client: TestClient, make_org: Any) -> None:
    token = make_org("puchot")["api_key"]["token"]
    before = client.get("/orgs/puchot/jwks.json").headers["etag"]
    client.post("/api/v1/keys/rotate", headers=bearer(token))
    assert client.get("/orgs/puchot/jwks.json").headers["etag"] != before


def test_unknown_organisation_documents_are_404(client: TestClient) -> None:
    for path in ("/orgs/nobody/did.json", "/orgs/nobody/jwks.json", "/ob2/issuers/nobody", "/orgs/nobody/profile"):
        response = client.get(path)
        assert response.status_code == 404
        assert response.headers["content-type"] == "application/problem+json"
