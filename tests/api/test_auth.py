"""API keys: bearer authentication, scopes, tenant isolation, throttling."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import admin_headers, bearer


def _key(client: TestClient, admin_token: str, scopes: list[str]) -> dict[str, Any]:
    response = client.post("/api/v1/api-keys", json={"scopes": scopes, "label": "test"},
                           headers=bearer(admin_token))
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def test_missing_key_is_401_with_problem_body(client: TestClient) -> None:
    response = client.get("/api/v1/org")
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["www-authenticate"] == "Bearer"
    assert "Bearer" in response.json()["message_en"]


@pytest.mark.parametrize("token", ["nonsense", "skdeadbeefdeadbeef.wrongsecret", ".", "a" * 500])
def test_bad_key_is_401(client: TestClient, make_org: Any, token: str) -> None:
    make_org()
    assert client.get("/api/v1/org", headers=bearer(token)).status_code == 401


def test_right_prefix_wrong_secret_is_401(client: TestClient, make_org: Any) -> None:
    token = make_org()["api_key"]["token"]
    prefix = token.split(".")[0]
    assert client.get("/api/v1/org", headers=bearer(prefix + ".not-the-secret")).status_code == 401


def test_repeated_failures_are_throttled_with_429_but_a_valid_key_still_passes(client: TestClient, make_org: Any,
                                                                              settings: Any) -> None:
    good = make_org()["api_key"]["token"]
    statuses = [client.get("/api/v1/org", headers=bearer("bad.key")).status_code
                for _ in range(settings.auth_failure_limit)]
    assert statuses == [401] * settings.auth_failure_limit
    throttled = client.get("/api/v1/org", headers=bearer("bad.key"))
    assert throttled.status_code == 429
    assert 1 <= int(throttled.headers["retry-after"]) <= 60  # the end of the minute's window
    # a good key from that client still passes (issue 18: the throttle slows guessing, it locks nobody out)
    assert client.get("/api/v1/org", headers=bearer(good)).status_code == 200
    assert client.get("/api/v1/org", headers=bearer("bad.again")).status_code == 429


def test_stored_secret_is_a_hash_not_the_key(client: TestClient, make_org: Any, app: Any) -> None:
    from sqlalchemy import select

    from app.models import ApiKey

    token = make_org()["api_key"]["token"]
    secret = token.split(".", 1)[1]
    with app.state.db.sessions() as session:
        stored = session.scalars(select(ApiKey.secret_sha256)).all()
    assert secret not in stored
    assert all(len(s) == 64 for s in stored)


def test_key_with_read_scope_cannot_create_keys(client: TestClient, make_org: Any) -> None:
    admin = make_org()["api_key"]["token"]
    reader = _key(client, admin, ["read"])
    response = client.post("/api/v1/api-keys", json={"scopes": ["read"]}, headers=bearer(reader["token"]))
    assert response.status_code == 403
    assert response.json()["code"] == "missing_scope"


def test_key_with_read_scope_can_read(client: TestClient, make_org: Any) -> None:
    admin = make_org()["api_key"]["token"]
    reader = _key(client, admin, ["read"])
    assert client.get("/api/v1/keys", headers=bearer(reader["token"])).status_code == 200


def test_listing_keys_never_shows_secrets(client: TestClient, make_org: Any) -> None:
    admin = make_org()["api_key"]["token"]
    listed = client.get("/api/v1/api-keys", headers=bearer(admin)).json()
    assert listed and all("token" not in k and "secret_sha256" not in k for k in listed)
    assert admin.split(".", 1)[1] not in str(listed)


def test_revoked_key_is_401(client: TestClient, make_org: Any) -> None:
    admin = make_org()["api_key"]["token"]
    other = _key(client, admin, ["read"])
    assert client.post(f"/api/v1/api-keys/{other['id']}/revoke", headers=bearer(admin)).status_code == 200
    assert client.get("/api/v1/org", headers=bearer(other["token"])).status_code == 401


def test_revoking_twice_is_409(client: TestClient, make_org: Any) -> None:
    admin = make_org()["api_key"]["token"]
    other = _key(client, admin, ["read"])
    client.post(f"/api/v1/api-keys/{other['id']}/revoke", headers=bearer(admin))
    assert client.post(f"/api/v1/api-keys/{other['id']}/revoke", headers=bearer(admin)).status_code == 409


def test_organisation_a_cannot_revoke_b_api_key(client: TestClient, make_org: Any) -> None:
    a = make_org("org-a")["api_key"]["token"]
    b = make_org("org-b")
    response = client.post(f"/api/v1/api-keys/{b['api_key']['id']}/revoke", headers=bearer(a))
    assert response.status_code == 404
    assert client.get("/api/v1/org", headers=bearer(b["api_key"]["token"])).status_code == 200


def test_organisation_a_cannot_compromise_b_signing_key(client: TestClient, make_org: Any) -> None:
    a = make_org("org-a")["api_key"]["token"]
    b = make_org("org-b")["api_key"]["token"]
    b_keys = client.get("/api/v1/keys", headers=bearer(b)).json()
    response = client.post(f"/api/v1/keys/{b_keys[0]['id']}/compromise", headers=bearer(a))
    assert response.status_code == 404
    assert client.get("/api/v1/keys", headers=bearer(b)).json() == b_keys


def test_organisation_a_sees_only_its_own_keys(client: TestClient, make_org: Any) -> None:
    a = make_org("org-a")["api_key"]["token"]
    b = make_org("org-b")["api_key"]["token"]
    a_ids = {k["id"] for k in client.get("/api/v1/keys", headers=bearer(a)).json()}
    b_ids = {k["id"] for k in client.get("/api/v1/keys", headers=bearer(b)).json()}
    assert len(a_ids) == 3 and len(b_ids) == 3 and not a_ids & b_ids


def test_api_key_body_with_server_owned_fields_is_422(client: TestClient, make_org: Any) -> None:
    admin = make_org()["api_key"]["token"]
    response = client.post("/api/v1/api-keys", json={"scopes": ["read"], "prefix": "mine"},
                           headers=bearer(admin))
    assert response.status_code == 422
    assert len(client.get("/api/v1/api-keys", headers=bearer(admin)).json()) == 1


def test_the_last_admin_key_cannot_revoke_itself(client: TestClient, make_org: Any) -> None:
    created = make_org()
    admin = created["api_key"]
    response = client.post(f"/api/v1/api-keys/{admin['id']}/revoke", headers=bearer(admin["token"]))
    assert response.status_code == 409
    problem = response.json()
    assert problem["code"] == "last_admin_key"
    assert "last API key with the 'admin' scope" in problem["message_en"]
    assert "dernière clé d'API de l'organisation avec le droit « admin »" in problem["message_fr"]
    assert client.get("/api/v1/org", headers=bearer(admin["token"])).status_code == 200


def test_an_admin_key_can_be_revoked_while_another_one_remains(client: TestClient, make_org: Any) -> None:
    first = make_org()["api_key"]
    second = _key(client, first["token"], ["admin"])
    assert client.post(f"/api/v1/api-keys/{first['id']}/revoke", headers=bearer(second["token"])).status_code == 200
    assert client.get("/api/v1/org", headers=bearer(first["token"])).status_code == 401


def test_the_admin_key_left_after_a_revocation_is_protected_in_turn(client: TestClient, make_org: Any) -> None:
    first = make_org()["api_key"]
    second = _key(client, first["token"], ["admin", "read"])
    client.post(f"/api/v1/api-keys/{first['id']}/revoke", headers=bearer(second["token"]))
    response = client.post(f"/api/v1/api-keys/{second['id']}/revoke", headers=bearer(second["token"]))
    assert response.status_code == 409 and response.json()["code"] == "last_admin_key"


def test_keys_without_the_admin_scope_do_not_count_as_admin_keys(client: TestClient, make_org: Any) -> None:
    admin = make_org()["api_key"]
    _key(client, admin["token"], ["issue", "revoke", "read"])
    response = client.post(f"/api/v1/api-keys/{admin['id']}/revoke", headers=bearer(admin["token"]))
    assert response.status_code == 409


def test_the_admin_token_creates_a_key_for_an_organisation(client: TestClient, make_org: Any) -> None:
    make_org("puchot")
    response = client.post("/api/v1/orgs/puchot/api-keys", json={"scopes": ["admin"], "label": "secours"},
                           headers=admin_headers())
    assert response.status_code == 201, response.text
    created = response.json()
    assert (created["scopes"], created["label"]) == (["admin"], "secours")
    assert client.get("/api/v1/org", headers=bearer(created["token"])).json()["slug"] == "puchot"


def test_the_admin_token_creating_a_key_for_an_unknown_organisation_is_404(client: TestClient) -> None:
    response = client.post("/api/v1/orgs/personne/api-keys", json={"scopes": ["admin"]}, headers=admin_headers())
    assert response.status_code == 404 and response.json()["message_fr"] == "Organisation introuvable."


def test_an_organisation_key_cannot_create_keys_through_the_admin_route(client: TestClient, make_org: Any) -> None:
    admin = make_org("puchot")["api_key"]["token"]
    response = client.post("/api/v1/orgs/puchot/api-keys", json={"scopes": ["admin"]}, headers=bearer(admin))
    assert response.status_code == 401
