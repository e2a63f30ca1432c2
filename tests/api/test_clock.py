"""Every date a use case writes comes from the injected clock, never from the wall clock."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.clock import FixedClock
from app.config import Settings
from app.main import create_app
from tests.conftest import BASE_URL, admin_headers, bearer

AT = datetime(2031, 5, 17, 9, 30, tzinfo=UTC)
ISO = "2031-05-17T09:30:00Z"


@pytest.fixture
def fixed(settings: Settings) -> Iterator[TestClient]:
    application = create_app(settings, clock=FixedClock(AT))
    with TestClient(application, base_url=BASE_URL) as client:
        yield client
    application.state.db.dispose()


@pytest.fixture
def key(fixed: TestClient) -> str:
    body = {"slug": "puchot", "name": "Centre social du Puchot", "url": "https://puchot.example",
            "email": "contact@puchot.example"}
    return fixed.post("/api/v1/orgs", json=body, headers=admin_headers()).json()["api_key"]["token"]  # type: ignore


def _published(client: TestClient, key: str) -> dict[str, Any]:
    created = client.post("/api/v1/achievements", headers=bearer(key), json={
        "name": "Radio", "description": "Animer une émission.", "criteria": {"narrative": "A animé."}}).json()
    return client.post(f"/api/v1/achievements/{created['id']}/publish", headers=bearer(key)).json()  # type: ignore


def _dt(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def test_publication_date_comes_from_the_clock(fixed: TestClient, key: str) -> None:
    assert _dt(_published(fixed, key)["published_at"]) == AT


def test_credential_dates_and_proof_come_from_the_clock(fixed: TestClient, key: str) -> None:
    achievement = _published(fixed, key)
    award = fixed.post(f"/api/v1/achievements/{achievement['id']}/awards", headers=bearer(key),
                       json={"recipient": {"email": "sylvie@example.fr", "public": True}}).json()
    credential = fixed.get(award["links"]["credential"].removeprefix(BASE_URL),
                           headers={"Accept": "application/ld+json"}).json()
    assert (credential["validFrom"], [p["created"] for p in credential["proof"]]) == (ISO, [ISO])


def test_a_revocation_dates_the_status_list_from_the_clock(fixed: TestClient, key: str) -> None:
    achievement = _published(fixed, key)
    award = fixed.post(f"/api/v1/achievements/{achievement['id']}/awards", headers=bearer(key),
                       json={"recipient": {"email": "sylvie@example.fr"}}).json()
    assert fixed.post(f"/api/v1/awards/{award['id']}/revoke", headers=bearer(key)).status_code == 200
    status_list = fixed.get(award["links"]["status_list"].removeprefix(BASE_URL)).json()
    assert status_list["validFrom"] == ISO


def test_key_rotation_and_compromise_are_dated_by_the_clock(fixed: TestClient, key: str) -> None:
    before = {k["id"] for k in fixed.get("/api/v1/keys", headers=bearer(key)).json()}
    assert fixed.post("/api/v1/keys/rotate", headers=bearer(key), json={"algorithms": ["Ed25519"]}).status_code == 201
    retired = [k for k in fixed.get("/api/v1/keys", headers=bearer(key)).json() if k["status"] == "retired"]
    assert [k["id"] in before and _dt(k["retired_at"]) == AT for k in retired] == [True]
    compromised = fixed.post(f"/api/v1/keys/{retired[0]['id']}/compromise", headers=bearer(key)).json()
    assert _dt(compromised["compromised_at"]) == AT


def test_api_key_revocation_is_dated_by_the_clock(fixed: TestClient, key: str) -> None:
    other = fixed.post("/api/v1/api-keys", headers=bearer(key), json={"scopes": ["read"]}).json()
    revoked = fixed.post(f"/api/v1/api-keys/{other['id']}/revoke", headers=bearer(key)).json()
    assert _dt(revoked["revoked_at"]) == AT
