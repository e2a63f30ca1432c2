"""The public verifier fetches URLs for anonymous callers: it is rate limited per client (anti-automation)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.main import create_app


@pytest.fixture
def limited(settings_factory: Callable[..., Settings]) -> Iterator[TestClient]:
    app = create_app(settings_factory(verify_rate_limit=2))
    with TestClient(app, base_url="https://badges.example.org") as client:
        yield client
    app.state.db.dispose()


def _verify(client: TestClient) -> Any:
    return client.get("/api/v1/verify", params={"url": "file:///etc/passwd"})


def test_verifications_beyond_the_limit_get_429_with_retry_after(limited: TestClient) -> None:
    assert [_verify(limited).status_code for _ in range(2)] == [200, 200]
    response = _verify(limited)
    assert response.status_code == 429 and 1 <= int(response.headers["retry-after"]) <= 60  # the minute's end
    problem = response.json()
    assert problem["code"] == "too_many_requests" and "minute" in problem["message_fr"]


def test_the_page_says_so_in_plain_french(limited: TestClient) -> None:
    for _ in range(2):
        _verify(limited)
    response = limited.post("/verify", data={"url": "file:///etc/passwd"})
    assert response.status_code == 429 and "attendez une minute" in response.text
