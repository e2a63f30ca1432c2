"""A server never signs under another PUBLIC_BASE_URL than the one an organisation's identifiers were published
under: it answers 503 `public_base_url_mismatch` (its own misconfiguration, which the caller cannot fix), saying
both URLs and the setting to fix, and issues nothing."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, update

from app.config import Settings
from app.main import create_app
from app.models import Award, Organisation
from tests.conftest import BASE_URL, bearer

OTHER = "http://localhost:8000"
BADGE = {"name": "Couture", "description": "Coudre ensemble.", "criteria": {"narrative": "A cousu un sac."}}


@pytest.fixture
def token(make_org: Any) -> str:
    return make_org("puchot")["api_key"]["token"]  # type: ignore[no-any-return]


@pytest.fixture
def achievement_id(client: TestClient, token: str) -> str:
    created = client.post("/api/v1/achievements", json=BADGE, headers=bearer(token)).json()
    return client.post(f"/api/v1/achievements/{created['id']}/publish",  # type: ignore[no-any-return]
                       headers=bearer(token)).json()["id"]


@pytest.fixture
def moved(settings_factory: Callable[..., Settings]) -> Iterator[tuple[TestClient, Any]]:
    """The same database, served under another PUBLIC_BASE_URL."""
    application = create_app(settings_factory(public_base_url=OTHER))
    with TestClient(application, base_url=OTHER) as other_client:
        yield other_client, application
    application.state.db.dispose()


def _count(app: Any) -> int:
    with app.state.db.sessions() as session:
        return session.scalar(select(func.count()).select_from(Award))  # type: ignore[no-any-return]


def _forget_recorded_base(app: Any) -> None:
    """As for an organisation created before the base was recorded."""
    with app.state.db.transaction() as session:
        session.execute(update(Organisation).values(public_base_url=None))


def test_an_organisation_records_the_base_its_identifiers_are_published_under(token: str, app: Any) -> None:
    with app.state.db.sessions() as session:
        assert session.scalar(select(Organisation.public_base_url)) == BASE_URL


def test_an_award_on_a_server_with_another_base_is_a_503_saying_both_urls(
        token: str, achievement_id: str, moved: tuple[TestClient, Any], app: Any) -> None:
    other_client, _ = moved
    response = other_client.post(f"/api/v1/achievements/{achievement_id}/awards", headers=bearer(token),
                                 json={"recipient": {"email": "sylvie@example.fr"}})
    assert response.status_code == 503
    problem = response.json()
    assert problem["code"] == "public_base_url_mismatch"
    assert (problem["published_base_url"], problem["configured_base_url"]) == (BASE_URL, OTHER)
    assert f"Set PUBLIC_BASE_URL={BASE_URL}" in problem["message_en"]
    assert f"Réglez PUBLIC_BASE_URL={BASE_URL}" in problem["message_fr"]
    assert _count(app) == 0


def test_a_batch_on_a_server_with_another_base_is_a_503(token: str, achievement_id: str,
                                                        moved: tuple[TestClient, Any], app: Any) -> None:
    other_client, _ = moved
    response = other_client.post(f"/api/v1/achievements/{achievement_id}/awards:batch", headers=bearer(token),
                                 json={"rows": [{"recipient": {"email": "sylvie@example.fr"}}]})
    assert response.status_code == 503 and response.json()["code"] == "public_base_url_mismatch"
    assert _count(app) == 0


def test_without_a_recorded_base_the_credentials_say_where_it_was_published(
        client: TestClient, token: str, achievement_id: str, moved: tuple[TestClient, Any], app: Any) -> None:
    client.post(f"/api/v1/achievements/{achievement_id}/awards", headers=bearer(token), json={})
    _forget_recorded_base(app)
    other_client, _ = moved
    response = other_client.post(f"/api/v1/achievements/{achievement_id}/awards", headers=bearer(token), json={})
    assert response.status_code == 503 and response.json()["published_base_url"] == BASE_URL
    assert _count(app) == 1


def test_without_a_recorded_base_nor_credentials_the_first_award_records_this_server_s(
        token: str, achievement_id: str, moved: tuple[TestClient, Any], app: Any) -> None:
    _forget_recorded_base(app)
    other_client, _ = moved
    response = other_client.post(f"/api/v1/achievements/{achievement_id}/awards", headers=bearer(token), json={})
    assert response.status_code == 201, response.text
    with app.state.db.sessions() as session:
        assert session.scalar(select(Organisation.public_base_url)) == OTHER
