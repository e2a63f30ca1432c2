"""Shared set-up of the read-side tests: an application on a clock the test moves, an organisation's helpers."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient
from httpx import Response

from app.clock import FixedClock
from app.config import Settings
from app.main import create_app
from tests.conftest import BASE_URL, bearer

START = datetime(2026, 9, 1, 8, 0, tzinfo=UTC)
LEVELS = [{"name": "Je soutiens"}, {"name": "J'explore"}, {"name": "J'agis"}]


def clocked_app(settings: Settings, clock: FixedClock) -> Iterator[Any]:
    """The body of an ``app`` fixture: the application on a clock the test moves (the wall clock gives whole
    seconds, so ties would be common but not certain)."""
    application = create_app(settings, clock=clock)
    yield application
    application.state.db.dispose()


class Org:
    """One organisation seen through its API key."""

    def __init__(self, client: TestClient, token: str, clock: FixedClock) -> None:
        self.client, self.token, self.clock = client, token, clock

    def achievement(self, name: str = "Place aux jeunes", *, levels: list[dict[str, str]] | None = None
                    ) -> dict[str, Any]:
        body = {"name": name, "description": "S'impliquer dans la vie du quartier.",
                "criteria": {"narrative": "A participé à trois actions."},
                "levels": LEVELS if levels is None else levels}
        created = self.client.post("/api/v1/achievements", json=body, headers=bearer(self.token))
        assert created.status_code == 201, created.text
        published = self.client.post(f"/api/v1/achievements/{created.json()['id']}/publish", headers=bearer(self.token))
        assert published.status_code == 200, published.text
        return published.json()  # type: ignore[no-any-return]

    def award(self, achievement: dict[str, Any], recipient: dict[str, str] | None = None, *, step: int = 1,
              **body: Any) -> dict[str, Any]:
        """Award ``achievement``, ``step`` seconds after the previous award (0: at the same instant)."""
        self.clock.at += timedelta(seconds=step)
        if recipient is not None:
            body["recipient"] = recipient
        response = self.client.post(f"/api/v1/achievements/{achievement['id']}/awards", json=body,
                                    headers=bearer(self.token))
        assert response.status_code == 201, response.text
        return response.json()  # type: ignore[no-any-return]

    def get(self, path: str, token: str | None = None, **params: Any) -> Response:
        return self.client.get(path, params=params, headers=bearer(token or self.token))

    def ids(self, path: str = "/api/v1/awards", **params: Any) -> list[str]:
        response = self.get(path, **params)
        assert response.status_code == 200, response.text
        return [item["id"] for item in response.json()["items"]]

    def key(self, *scopes: str) -> str:
        response = self.client.post("/api/v1/api-keys", json={"scopes": list(scopes), "label": "lecture"},
                                    headers=bearer(self.token))
        assert response.status_code == 201, response.text
        return response.json()["token"]  # type: ignore[no-any-return]


def follow(link: str) -> str:
    """The path and query of a ``Link: <…>; rel="next"`` header."""
    target, _, relation = link.partition(">; ")
    assert relation == 'rel="next"'
    return target.removeprefix("<").removeprefix(BASE_URL)
