"""Endorsement tests: the application on a clock the test moves, without its in-process job worker; a centre
(``puchot``) with a published badge and one award, and the town hall (``mairie``), another organisation of the
service; helpers that act as each party would."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient

from app.clock import FixedClock
from app.config import Settings
from app.main import create_app
from tests.conftest import bearer

START = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
BADGE = {"name": "Couture", "description": "Coudre ensemble, à l'atelier du jeudi.",
         "criteria": {"narrative": "Avoir cousu au moins trois fois avec le groupe."}}
FATOU = "fatou.diallo@exemple.fr"
MAIRIE_SAYS = "La mairie soutient les ateliers couture du Puchot depuis 2024."


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


@pytest.fixture
def app(settings: Settings, clock: FixedClock) -> Iterator[Any]:
    application = create_app(settings, clock=clock, jobs_in_process=False)
    yield application
    application.state.db.dispose()


@pytest.fixture
def key(make_org: Callable[..., dict[str, Any]]) -> dict[str, str]:
    return bearer(make_org("puchot")["api_key"]["token"])


@pytest.fixture
def mairie(make_org: Callable[..., dict[str, Any]]) -> dict[str, str]:
    return bearer(make_org("mairie", name="Mairie de Rouen", url="https://rouen.example",
                           email="jeunesse@rouen.example")["api_key"]["token"])


@pytest.fixture
def badge(client: TestClient, key: dict[str, str]) -> str:
    return publish_badge(client, key, BADGE)


@pytest.fixture
def award(client: TestClient, key: dict[str, str], badge: str) -> str:
    given = client.post(f"/api/v1/achievements/{badge}/awards", headers=key,
                        json={"recipient": {"email": "sylvie@exemple.fr", "display_name": "Sylvie",
                                            "publish_name": True, "public": True}})  # its page is public
    assert given.status_code == 201, given.text
    return str(given.json()["id"])


def publish_badge(client: TestClient, key: dict[str, str], achievement: dict[str, Any]) -> str:
    """Create ``achievement`` as the organisation of ``key`` and publish it: its id."""
    created = client.post("/api/v1/achievements", json=achievement, headers=key)
    assert created.status_code == 201, created.text
    assert client.post(f"/api/v1/achievements/{created.json()['id']}/publish", headers=key).status_code == 200
    return str(created.json()["id"])


def ask(client: TestClient, key: dict[str, str], about: dict[str, Any], endorser: dict[str, Any],
        **more: Any) -> dict[str, Any]:
    asked = client.post("/api/v1/endorsements", headers=key, json={"about": about, "endorser": endorser, **more})
    assert asked.status_code == 201, asked.text
    return dict(asked.json())


def token_of(link: str) -> str:
    return urlsplit(link).path.rsplit("/", 1)[1]


def accept_as(client: TestClient, key: dict[str, str], endorsement_id: str, comment: str = MAIRIE_SAYS) -> Any:
    return client.post(f"/api/v1/endorsements/incoming/{endorsement_id}/accept", headers=key,
                       json={"comment": comment})


def document(client: TestClient, url: str) -> Any:
    found = client.get(urlsplit(url).path, headers={"Accept": "application/ld+json"})
    assert found.status_code == 200, found.text
    return found.json()


def verify(client: TestClient, credential: dict[str, Any]) -> dict[str, Any]:
    report = client.post("/api/v1/verify", json={"credential": credential})
    assert report.status_code == 200, report.text
    return dict(report.json())


def outcome(report: dict[str, Any], check: str) -> str | None:
    return next((c["outcome"] for c in report["checks"] if c["id"] == check), None)
