"""Issue 18, "limits shared by all workers": the rate limits and throttles are counted in the database, so two
processes on one database allow the limit once, not twice; the counts hold no client address; the hourly purge
forgets them a day later."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import select

from app.clock import FixedClock
from app.config import Settings
from app.main import create_app
from app.models import RateCount
from app.ratelimit import SharedWindow
from app.services.recognition.purge import RATE_RETENTION, purge
from tests.live_server import free_port, serve

NINE = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)


def test_a_window_allows_its_limit_then_says_how_long_to_wait(app: Any) -> None:
    window = SharedWindow(app.state.ctx.db, "essai", 2, timedelta(minutes=15))
    assert window.retry_after("203.0.113.7", NINE) is None
    assert window.over("203.0.113.7", NINE) is None and window.over("203.0.113.7", NINE + timedelta(minutes=5)) is None
    assert window.retry_after("203.0.113.7", NINE + timedelta(minutes=6)) == 9 * 60
    assert window.over("203.0.113.7", NINE + timedelta(minutes=6)) == 9 * 60
    assert window.retry_after("203.0.113.8", NINE + timedelta(minutes=6)) is None  # each client alone
    assert window.retry_after("203.0.113.7", NINE + timedelta(minutes=15)) is None  # the next window


def test_two_limiters_of_other_names_count_apart(app: Any) -> None:
    db = app.state.ctx.db
    SharedWindow(db, "un", 1, timedelta(minutes=1)).hit("203.0.113.7", NINE)
    assert SharedWindow(db, "deux", 1, timedelta(minutes=1)).retry_after("203.0.113.7", NINE) is None
    assert SharedWindow(db, "un", 1, timedelta(minutes=1)).retry_after("203.0.113.7", NINE) == 60


def test_no_client_address_is_stored(app: Any) -> None:
    SharedWindow(app.state.ctx.db, "essai", 5, timedelta(minutes=1)).hit("203.0.113.7", NINE)
    with app.state.db.sessions() as session:
        (row,) = session.scalars(select(RateCount)).all()
    assert "203.0.113.7" not in row.key_sha256 and len(row.key_sha256) == 64 and row.count == 1


def test_the_purge_forgets_the_counts_a_day_after_their_window(settings_factory: Callable[..., Settings]) -> None:
    clock = FixedClock(NINE)
    application = create_app(settings_factory(), clock=clock, jobs_in_process=False)
    try:
        SharedWindow(application.state.ctx.db, "essai", 5, timedelta(minutes=1)).hit("203.0.113.7", NINE)
        assert purge(application.state.ctx, actor="test").rate_windows == 0
        clock.at = NINE + RATE_RETENTION + timedelta(minutes=1)
        assert purge(application.state.ctx, actor="test").rate_windows == 1
        with application.state.db.sessions() as session:
            assert session.scalars(select(RateCount)).all() == []
    finally:
        application.state.db.dispose()


def test_two_workers_on_one_database_allow_the_limit_once(settings_factory: Callable[..., Settings]) -> None:
    """Two applications (two workers) on one database, over real HTTP: wrong keys sent to each in turn from one
    client are refused (429) after the limit in all, not after the limit on each."""
    limit = 4
    with ExitStack() as stack:
        clients = []
        for _ in range(2):
            port = free_port()
            application = create_app(settings_factory(public_base_url=f"http://127.0.0.1:{port}",
                                                      auth_failure_limit=limit), jobs_in_process=False)
            stack.callback(application.state.db.dispose)
            stack.enter_context(serve(application, port, lifespan="off"))
            clients.append(stack.enter_context(httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30)))
        statuses = [clients[n % 2].get("/api/v1/org", headers={"Authorization": "Bearer bad.key"}).status_code
                    for n in range(limit + 2)]
    assert statuses == [401] * limit + [429, 429]
