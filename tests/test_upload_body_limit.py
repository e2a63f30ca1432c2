"""Evidence routes take larger bodies (photos straight from a phone) than the rest of the API."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.main import create_app
from tests.conftest import BASE_URL


@pytest.fixture
def small(settings_factory: Any) -> Any:
    return settings_factory(max_body_bytes=1000, max_upload_bytes=5000)


def _post(settings: Settings, path: str, size: int) -> int:
    app = create_app(settings, jobs_in_process=False)
    with TestClient(app, base_url=BASE_URL) as client:
        status = client.post(path, content=b"x" * size, headers={"Content-Type": "application/json"}).status_code
    app.state.db.dispose()
    return status


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_an_evidence_route_takes_a_body_the_api_refuses_elsewhere(small: Settings) -> None:
    assert _post(small, "/api/v1/achievements", 3000) == 413
    assert _post(small, "/api/v1/orgs/puchot/requests", 3000) != 413


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_an_evidence_route_has_its_own_limit(small: Settings) -> None:
    assert _post(small, "/api/v1/orgs/puchot/requests", 6000) == 413
    assert _post(small, "/api/v1/request-links/abcdefghijklmnopqrstuvwxyz/evidence", 6000) == 413


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize("path", ["/demander/puchot/badge", "/suivi/abcdefghijklmnopqrstuvwxyz/preuves"])
def test_the_evidence_forms_take_the_evidence_limit(small: Settings, path: str) -> None:
    assert _post(small, path, 3000) != 413
    assert _post(small, path, 6000) == 413
