"""Signing keys: one set per organisation, sealed, rotated, compromised; published via did:web and JWKS."""

from __future__ import annotations

import base64
from typing import Any

from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlalchemy import select

from app.config import Settings
from app.main import create_app
from app.models import SigningKey
from app.signing.keys import private_key_der
from tests.conftest import admin_headers, bearer


def test_n_organisations_get_n_distinct_key_fingerprints(client: TestClient, make_org: Any, app: Any) -> None:
    n = 5
    for i in range(n):
        make_org(f"centre-{i}")
    with app.state.db.sessions() as session:
        rows = session.execute(select(SigningKey.org_id, SigningKey.algorithm, SigningKey.fingerprint)).all()
    assert len(rows) == 3 * n
    assert len({r.fingerprint for r in rows}) == 3 * n
    ed25519 = {r.fingerprint for r in rows if r.algorithm == "Ed25519"}
    assert len(ed25519) == n


def test_private_keys_are_not_stored_in_clear(client: TestClient, make_org: Any, app: Any) -> None:
    make_org()
    with app.state.db.sessions() as session:
        row = session.scalars(select(SigningKey).where(SigningKey.algorithm == "RSA-2048")).one()
    der = private_key_der(app.state.vault.signer(row).private_key)
    assert der not in row.sealed_private_key
    assert der[-64:] not in row.sealed_private_key
    assert b"PRIVATE KEY" not in row.sealed_private_key


def test_did_document_lists_exactly_the_non_compromised_keys(client: TestClient, make_org: Any) -> None:
    token = make_org("puchot")["api_key"]["token"]
    keys = client.get("/api/v1/keys", headers=bearer(token)).json()
    compromised = next(k for k in keys if k["algorithm"] == "P-256")
    assert client.post(f"/api/v1/keys/{compromised['id']}/compromise", headers=bearer(token)).status_code == 200
    now_keys = client.get("/api/v1/keys", headers=bearer(token)).json()
    expected = {k["verification_method"] for k in now_keys if k["status"] != "compromised"}
    doc = client.get("/orgs/puchot/did.json").json()
    assert doc["id"] == "did:web:badges.example.org:orgs:puchot"
    assert {vm["id"] for vm in doc["verificationMethod"]} == expected
    assert set(doc["assertionMethod"]) == expected
    assert all(vm["controller"] == doc["id"] for vm in doc["verificationMethod"])
    assert compromised["id"] not in str(doc)


def test_jwks_lists_exactly_the_non_compromised_keys(client: TestClient, make_org: Any) -> None:
    token = make_org("puchot")["api_key"]["token"]
    keys = client.get("/api/v1/keys", headers=bearer(token)).json()
    victim = next(k for k in keys if k["algorithm"] == "RSA-2048")
    client.post(f"/api/v1/keys/{victim['id']}/compromise", headers=bearer(token))
    now_keys = client.get("/api/v1/keys", headers=bearer(token)).json()
    jwks = client.get("/orgs/puchot/jwks.json")
    assert jwks.headers["content-type"] == "application/jwk-set+json"
    kids = {k["kid"] for k in jwks.json()["keys"]}
    assert kids == {k["jwk"] for k in now_keys if k["status"] != "compromised"}
    assert all("d" not in k and "p" not in k for k in jwks.json()["keys"])


def test_compromising_the_active_key_creates_a_replacement(client: TestClient, make_org: Any) -> None:
    token = make_org()["api_key"]["token"]
    keys = client.get("/api/v1/keys", headers=bearer(token)).json()
    ed = next(k for k in keys if k["algorithm"] == "Ed25519")
    client.post(f"/api/v1/keys/{ed['id']}/compromise", headers=bearer(token))
    after = [k for k in client.get("/api/v1/keys", headers=bearer(token)).json() if k["algorithm"] == "Ed25519"]
    assert sorted(k["status"] for k in after) == ["active", "compromised"]


def test_rotation_retires_old_keys_which_stay_published(client: TestClient, make_org: Any) -> None:
    token = make_org("puchot")["api_key"]["token"]
    before = client.get("/api/v1/keys", headers=bearer(token)).json()
    response = client.post("/api/v1/keys/rotate", json={"algorithms": ["Ed25519"]}, headers=bearer(token))
    assert response.status_code == 201
    new = response.json()
    assert [k["algorithm"] for k in new] == ["Ed25519"]
    after = {k["id"]: k for k in client.get("/api/v1/keys", headers=bearer(token)).json()}
    old_ed = next(k for k in before if k["algorithm"] == "Ed25519")
    assert after[old_ed["id"]]["status"] == "retired"
    assert after[new[0]["id"]]["status"] == "active"
    published = {vm["id"] for vm in client.get("/orgs/puchot/did.json").json()["verificationMethod"]}
    assert old_ed["verification_method"] in published and new[0]["verification_method"] in published


def test_rotation_without_body_rotates_all_three(client: TestClient, make_org: Any) -> None:
    token = make_org()["api_key"]["token"]
    response = client.post("/api/v1/keys/rotate", headers=bearer(token))
    assert sorted(k["algorithm"] for k in response.json()) == ["Ed25519", "P-256", "RSA-2048"]


def test_single_jwk_url_serves_exactly_one_key(client: TestClient, make_org: Any) -> None:
    token = make_org("puchot")["api_key"]["token"]
    rsa = next(k for k in client.get("/api/v1/keys", headers=bearer(token)).json()
               if k["algorithm"] == "RSA-2048")
    response = client.get(rsa["jwk"].removeprefix("https://badges.example.org"))
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/jwk+json"
    jwk = response.json()
    assert jwk["kty"] == "RSA" and jwk["kid"] == rsa["jwk"] and jwk["alg"] == "RS256" and "d" not in jwk


def test_compromised_key_url_is_404(client: TestClient, make_org: Any) -> None:
    token = make_org("puchot")["api_key"]["token"]
    key = client.get("/api/v1/keys", headers=bearer(token)).json()[0]
    client.post(f"/api/v1/keys/{key['id']}/compromise", headers=bearer(token))
    assert client.get(f"/orgs/puchot/keys/{key['id']}").status_code == 404


def test_did_web_encodes_the_port(settings_factory: Any) -> None:
    app = create_app(settings_factory(public_base_url="http://localhost:8000"))
    with TestClient(app) as client:
        created = client.post("/api/v1/orgs", json={"slug": "puchot", "name": "P", "url": "https://p.example",
                                                    "email": "a@p.example"}, headers=admin_headers()).json()
        assert created["organisation"]["links"]["did"] == "did:web:localhost%3A8000:orgs:puchot"
        assert client.get("/orgs/puchot/did.json").json()["id"] == "did:web:localhost%3A8000:orgs:puchot"
    app.state.db.dispose()


def test_without_kek_issuing_is_503_but_publication_works(client: TestClient, make_org: Any,
                                                          settings: Settings) -> None:
    token = make_org("puchot")["api_key"]["token"]
    no_kek = create_app(settings.model_copy(update={"kek": None}))
    with TestClient(no_kek) as other:
        response = other.post("/api/v1/keys/rotate", headers=bearer(token))
        assert response.status_code == 503
        assert response.json()["code"] == "signing_unavailable"
        assert "clé de chiffrement" in response.json()["message_fr"]
        created = other.post("/api/v1/orgs", json={"slug": "x", "name": "X", "url": "https://x.example",
                                                   "email": "a@x.example"}, headers=admin_headers())
        assert created.status_code == 503
        assert other.get("/orgs/puchot/did.json").status_code == 200
        assert other.get("/readyz").json()["checks"]["signing"].startswith("unavailable")
    no_kek.state.db.dispose()


def test_another_kek_cannot_unseal_the_keys(client: TestClient, make_org: Any, settings: Settings,
                                            app: Any) -> None:
    make_org()
    other_kek = SecretStr(base64.b64encode(b"\x07" * 32).decode())
    other = create_app(settings.model_copy(update={"kek": other_kek}))
    with app.state.db.sessions() as session:
        row = session.scalars(select(SigningKey)).first()
    from app.errors import SigningUnavailable

    try:
        other.state.vault.signer(row)
        raise AssertionError("a foreign KEK must not open the key")
    except SigningUnavailable as exc:
        assert exc.status == 503
    other.state.db.dispose()
