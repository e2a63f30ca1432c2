"""Shared by the page tests: one live served instance per test module, an organisation, a published achievement
with levels, and awards (the verifier fetches the issuer's did.json and status list from the live server)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.live_server import LiveService, live_service

BADGE = {"name": "Cuisine du monde", "description": "Partager une recette avec le quartier.",
         "criteria": {"narrative": "A animé un atelier cuisine.\nA partagé une recette de son pays."},
         "levels": [{"name": "Je soutiens"}, {"name": "J'explore"}, {"name": "J'agis"}]}


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveService]:
    with live_service(tmp_path_factory.mktemp("pages-live")) as service:
        yield service


@pytest.fixture(scope="module")
def auth(live: LiveService) -> dict[str, str]:
    return {"Authorization": f"Bearer {live.org('puchot')}"}


@pytest.fixture(scope="module")
def achievement(live: LiveService, auth: dict[str, str]) -> dict[str, Any]:
    created = live.http.post("/api/v1/achievements", json=BADGE, headers=auth)
    assert created.status_code == 201, created.text
    published = live.http.post(f"/api/v1/achievements/{created.json()['id']}/publish", headers=auth)
    assert published.status_code == 200, published.text
    return published.json()  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def make_award(live: LiveService, auth: dict[str, str], achievement: dict[str, Any]
               ) -> Callable[..., dict[str, Any]]:
    def make(**body: Any) -> dict[str, Any]:
        body.setdefault("recipient", {"email": "Sylvie@Example.fr"})
        response = live.http.post(f"/api/v1/achievements/{achievement['id']}/awards", json=body, headers=auth)
        assert response.status_code == 201, response.text
        return response.json()  # type: ignore[no-any-return]

    return make


@pytest.fixture(scope="module")
def award(make_award: Callable[..., dict[str, Any]]) -> dict[str, Any]:
    return make_award(level="J'agis")


def fetch(live: LiveService, url: str, **params: str) -> bytes:
    response = live.http.get(url, params=params, headers={"Accept": "application/ld+json"})
    assert response.status_code == 200, response.text
    return response.content


def tampered_json(live: LiveService, award: dict[str, Any]) -> bytes:
    """The award's credential with one changed letter in the badge name: the signature no longer holds."""
    import json

    credential = json.loads(fetch(live, award["links"]["credential"]))
    credential["credentialSubject"]["achievement"]["name"] = "Cuisine du mondE"
    return json.dumps(credential, ensure_ascii=False).encode()


def write(path: Path, content: bytes) -> Path:
    path.write_bytes(content)
    return path
