"""Organisations: created by the administrator, updated, listed; server-owned fields refused."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from app.models import ApiKey, AuditEvent, Organisation, SigningKey
from tests.conftest import admin_headers, bearer

VALID = {"slug": "puchot", "name": "Centre social du Puchot", "url": "https://puchot.example",
         "email": "contact@puchot.example"}


def _count(app: Any, model: type) -> int:
    with app.state.db.sessions() as session:
        return session.scalar(select(func.count()).select_from(model))  # type: ignore[no-any-return]


def test_create_organisation_returns_it_with_public_links_and_a_working_admin_key(client: TestClient) -> None:
    response = client.post("/api/v1/orgs", json={**VALID, "description": "Échanges de savoirs à Elbeuf"},
                           headers=admin_headers())
    assert response.status_code == 201
    body = response.json()
    assert body["organisation"]["slug"] == "puchot"
    assert body["organisation"]["description"] == "Échanges de savoirs à Elbeuf"
    assert body["organisation"]["links"]["did"] == "did:web:badges.example.org:orgs:puchot"
    assert body["api_key"]["scopes"] == ["admin"]
    me = client.get("/api/v1/org", headers=bearer(body["api_key"]["token"]))
    assert me.status_code == 200
    assert me.json()["id"] == body["organisation"]["id"]


def test_create_organisation_generates_three_active_keys(client: TestClient, app: Any) -> None:
    body = client.post("/api/v1/orgs", json=VALID, headers=admin_headers()).json()
    with app.state.db.sessions() as session:
        rows = session.scalars(select(SigningKey).where(SigningKey.org_id == body["organisation"]["id"])).all()
    assert sorted(r.algorithm for r in rows) == ["Ed25519", "P-256", "RSA-2048"]
    assert {r.status for r in rows} == {"active"}


def test_create_organisation_is_audited(client: TestClient, app: Any) -> None:
    client.post("/api/v1/orgs", json=VALID, headers=admin_headers())
    with app.state.db.sessions() as session:
        actions = session.scalars(select(AuditEvent.action)).all()
    assert "organisation.create" in actions


def test_duplicate_slug_is_409_and_stores_nothing_more(client: TestClient, app: Any) -> None:
    client.post("/api/v1/orgs", json=VALID, headers=admin_headers())
    keys_before = _count(app, SigningKey)
    response = client.post("/api/v1/orgs", json={**VALID, "name": "Autre"}, headers=admin_headers())
    assert response.status_code == 409
    assert response.json()["code"] == "slug_taken"
    assert _count(app, Organisation) == 1
    assert _count(app, SigningKey) == keys_before


@pytest.mark.parametrize("field", [{"id": "abc"}, {"status": "active"}, {"key_id": "k1"},
                                   {"keys": []}, {"org_id": "x"}])
def test_server_owned_fields_are_422_and_store_nothing(client: TestClient, app: Any, field: dict[str, Any]
                                                       ) -> None:
    response = client.post("/api/v1/orgs", json={**VALID, **field}, headers=admin_headers())
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["errors"][0]["field"] == next(iter(field))
    assert body["message_fr"] and body["message_en"]
    assert _count(app, Organisation) == 0
    assert _count(app, SigningKey) == 0
    assert _count(app, ApiKey) == 0


@pytest.mark.parametrize("bad", [{"slug": "Pas Bon"}, {"slug": "-x"}, {"url": "javascript:alert(1)"},
                                 {"url": "ftp://x.example"}, {"email": "pas-un-email"}, {"name": ""}])
def test_invalid_fields_are_422(client: TestClient, bad: dict[str, Any]) -> None:
    response = client.post("/api/v1/orgs", json={**VALID, **bad}, headers=admin_headers())
    assert response.status_code == 422


def test_create_organisation_without_admin_token_is_401(client: TestClient, app: Any) -> None:
    response = client.post("/api/v1/orgs", json=VALID, headers=bearer("wrong"))
    assert response.status_code == 401
    assert _count(app, Organisation) == 0


def test_an_organisation_key_is_not_an_admin_token(client: TestClient, make_org: Any) -> None:
    token = make_org()["api_key"]["token"]
    assert client.post("/api/v1/orgs", json=VALID, headers=bearer(token)).status_code == 401


def test_list_organisations(client: TestClient, make_org: Any) -> None:
    make_org("b-centre")
    make_org("a-centre")
    response = client.get("/api/v1/orgs", headers=admin_headers())
    assert [o["slug"] for o in response.json()] == ["a-centre", "b-centre"]


def test_admin_updates_an_organisation(client: TestClient, make_org: Any) -> None:
    make_org("puchot")
    response = client.patch("/api/v1/orgs/puchot", json={"name": "Centre social du Puchot — Elbeuf"},
                            headers=admin_headers())
    assert response.status_code == 200
    assert client.get("/api/v1/orgs/puchot", headers=admin_headers()).json()["name"] == (
        "Centre social du Puchot — Elbeuf")


def test_organisation_updates_itself_with_an_admin_key(client: TestClient, make_org: Any) -> None:
    token = make_org()["api_key"]["token"]
    response = client.patch("/api/v1/org", json={"description": "Nouveau texte"}, headers=bearer(token))
    assert response.status_code == 200
    assert response.json()["description"] == "Nouveau texte"


@pytest.mark.parametrize("field", ["name", "url", "email", "language"])
def test_update_cannot_null_a_required_field(client: TestClient, make_org: Any, field: str) -> None:
    make_org("puchot")
    response = client.patch("/api/v1/orgs/puchot", json={field: None}, headers=admin_headers())
    assert response.status_code == 422


def test_update_cannot_change_the_slug(client: TestClient, make_org: Any) -> None:
    make_org("puchot")
    response = client.patch("/api/v1/orgs/puchot", json={"slug": "autre"}, headers=admin_headers())
    assert response.status_code == 422


def test_unknown_organisation_is_404(client: TestClient) -> None:
    response = client.get("/api/v1/orgs/personne", headers=admin_headers())
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
