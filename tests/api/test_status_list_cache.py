"""A status list answers a conditional GET before any work (issue 13): its ETag names its version and signing key, a
client holding it gets a 304, and a revocation (or a key rotation) is visible on the very next GET."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.badges.bitstring import Bitstring
from tests.conftest import bearer

BADGE = {"name": "Couture", "description": "Coudre ensemble.", "criteria": {"narrative": "A cousu."}}


@pytest.fixture
def award(client: TestClient, token: str) -> dict[str, Any]:
    created = client.post("/api/v1/achievements", json=BADGE, headers=bearer(token)).json()
    client.post(f"/api/v1/achievements/{created['id']}/publish", headers=bearer(token))
    response = client.post(f"/api/v1/achievements/{created['id']}/awards",
                           json={"recipient": {"email": "a@b.fr", "public": True}}, headers=bearer(token))
    return response.json()  # type: ignore[no-any-return]


def _status(client: TestClient, award: dict[str, Any], etag: str | None = None) -> Any:
    path = award["links"]["status_list"].removeprefix("https://badges.example.org")
    return client.get(path, headers={"If-None-Match": etag} if etag else {})


def _revoked_bit(client: TestClient, award: dict[str, Any], document: dict[str, Any]) -> bool:
    credential = client.get(award["links"]["credential"].removeprefix("https://badges.example.org")).json()
    entry = credential["credentialStatus"]
    entry = entry[0] if isinstance(entry, list) else entry
    bits = Bitstring.decode(document["credentialSubject"]["encodedList"])
    return bits.get(int(entry["statusListIndex"]))


def test_a_client_holding_the_current_version_gets_a_304(client: TestClient, award: dict[str, Any]) -> None:
    first = _status(client, award)
    assert first.status_code == 200 and first.headers["etag"] and first.headers["cache-control"] == "no-cache"
    again = _status(client, award, first.headers["etag"])
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == first.headers["etag"]


def test_a_revocation_is_visible_on_the_next_get(client: TestClient, token: str, award: dict[str, Any]) -> None:
    first = _status(client, award)
    assert not _revoked_bit(client, award, first.json())
    revoked = client.post(f"/api/v1/awards/{award['id']}/revoke", json={"reason": "x"}, headers=bearer(token))
    assert revoked.status_code == 200
    after = _status(client, award, first.headers["etag"])
    assert after.status_code == 200 and after.headers["etag"] != first.headers["etag"]
    assert _revoked_bit(client, award, after.json())


def test_a_key_rotation_changes_the_etag(client: TestClient, token: str, award: dict[str, Any]) -> None:
    first = _status(client, award)
    rotated = client.post("/api/v1/keys/rotate", json={"algorithms": ["Ed25519"]}, headers=bearer(token))
    assert rotated.status_code == 201, rotated.text
    after = _status(client, award, first.headers["etag"])
    assert after.status_code == 200 and after.json()["proof"] != first.json()["proof"]
