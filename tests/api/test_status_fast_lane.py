"""The status list's fast lane answers exactly what the route answers (status, every header, body), and only when
nothing has to be signed; everything else reaches the route."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from starlette.types import Receive, Scope, Send

from app.fastlane import StatusListFastLane
from app.main import create_app
from tests.conftest import BASE_URL, bearer

BADGE = {"name": "Couture", "description": "Coudre ensemble.", "criteria": {"narrative": "A cousu."}}
ORIGIN = {"Origin": "https://partenaire.example"}


@pytest.fixture
def status_path(client: TestClient, token: str) -> str:
    created = client.post("/api/v1/achievements", json=BADGE, headers=bearer(token)).json()
    client.post(f"/api/v1/achievements/{created['id']}/publish", headers=bearer(token))
    award = client.post(f"/api/v1/achievements/{created['id']}/awards", json={"recipient": {"email": "a@b.fr"}},
                        headers=bearer(token)).json()
    return str(award["links"]["status_list"]).removeprefix(BASE_URL)


@pytest.fixture
def route_only(settings: Any) -> Iterator[TestClient]:
    """The same service on the same database, without the fast lane: every request reaches the route."""
    application = create_app(settings)
    application.user_middleware = [m for m in application.user_middleware if m.cls is not StatusListFastLane]
    with TestClient(application, base_url=BASE_URL) as test_client:
        yield test_client
    application.state.db.dispose()


def _answer(response: Any) -> tuple[int, dict[str, str], bytes]:
    return response.status_code, dict(response.headers), response.content


@pytest.mark.parametrize("variant", ["plain", "held", "weak", "star", "stale", "list", "origin", "origin held"])
def test_the_fast_lane_answers_what_the_route_answers(client: TestClient, route_only: TestClient, status_path: str,
                                                      variant: str) -> None:
    etag = route_only.get(status_path).headers["etag"]
    headers = {"plain": {}, "held": {"If-None-Match": etag}, "weak": {"If-None-Match": f"W/{etag}"},
               "star": {"If-None-Match": "*"}, "stale": {"If-None-Match": '"status.0"'},
               "list": {"If-None-Match": f'"x", {etag}'}, "origin": ORIGIN,
               "origin held": {**ORIGIN, "If-None-Match": etag}}[variant]
    client.get(status_path)  # the lane answers 200s only once the list's bytes are kept
    assert _answer(client.get(status_path, headers=headers)) == _answer(route_only.get(status_path, headers=headers))


def test_an_unknown_list_reaches_the_route(client: TestClient, route_only: TestClient) -> None:
    lane, route = client.get("/status/nope"), route_only.get("/status/nope")
    assert lane.status_code == 404 and _answer(lane) == _answer(route)


class _Next:
    """The application behind the lane: counts what reaches it."""

    def __init__(self) -> None:
        self.calls = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        self.calls += 1
        await send({"type": "http.response.start", "status": 599, "headers": []})
        await send({"type": "http.response.body", "body": b""})


def _lane_client(app: Any) -> tuple[TestClient, _Next]:
    behind = _Next()
    return TestClient(StatusListFastLane(behind, app.state.ctx), base_url=BASE_URL), behind


def test_a_held_version_is_answered_without_the_route(app: Any, client: TestClient, status_path: str) -> None:
    etag = client.get(status_path).headers["etag"]
    lane, behind = _lane_client(app)
    assert lane.get(status_path, headers={"If-None-Match": etag}).status_code == 304
    assert lane.get(status_path).status_code == 200
    assert behind.calls == 0


def test_a_list_not_signed_yet_or_changed_reaches_the_route(app: Any, client: TestClient, token: str,
                                                             status_path: str) -> None:
    lane, behind = _lane_client(app)
    assert lane.get(status_path).status_code == 599  # never served: nothing is kept to answer with
    client.get(status_path)
    award_id = client.get("/api/v1/awards", headers=bearer(token)).json()["items"][0]["id"]
    client.post(f"/api/v1/awards/{award_id}/revoke", json={"reason": "x"}, headers=bearer(token))
    assert lane.get(status_path).status_code == 599  # a new version: the route signs it
    assert behind.calls == 2


def test_other_methods_and_paths_reach_the_route(app: Any, status_path: str) -> None:
    lane, behind = _lane_client(app)
    assert lane.head(status_path).status_code == 599
    assert lane.get(status_path + "/more").status_code == 599
    assert lane.get("/healthz").status_code == 599
    assert behind.calls == 3


POSTGRES = pytest.mark.parametrize("database_url", ["postgres"], indirect=True)


@POSTGRES
def test_the_event_loop_serves_other_requests_while_a_status_read_waits(client: TestClient, status_path: str,
                                                                          database_url: str) -> None:
    etag = client.get(status_path).headers["etag"]
    answers: list[int] = []
    blocker = create_engine(database_url)
    with blocker.connect() as connection:
        connection.execute(text("LOCK TABLE status_lists IN ACCESS EXCLUSIVE MODE"))  # every read of it now waits
        waiting = threading.Thread(target=lambda: answers.append(
            client.get(status_path, headers={"If-None-Match": etag}).status_code))
        waiting.start()
        assert client.get("/healthz").status_code == 200
        assert waiting.is_alive() and not answers  # still waiting on the database, yet the worker answered
        connection.rollback()
    waiting.join(timeout=30)
    blocker.dispose()
    assert answers == [304]


@POSTGRES
def test_status_reads_go_on_after_the_server_dropped_the_connections(client: TestClient, status_path: str,
                                                                       database_url: str) -> None:
    etag = client.get(status_path).headers["etag"]
    assert client.get(status_path, headers={"If-None-Match": etag}).status_code == 304
    admin = create_engine(database_url)
    with admin.connect() as connection:
        dropped = connection.execute(text(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()")).scalar_one()
    admin.dispose()
    assert dropped >= 1
    assert [client.get(status_path, headers={"If-None-Match": etag}).status_code for _ in range(3)] == [304] * 3
    assert client.get(status_path).content == client.get(status_path).content
