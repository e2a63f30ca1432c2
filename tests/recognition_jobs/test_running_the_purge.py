"""Who runs the purge, on the real clock: the in-process worker when `savoirs serve` starts (SQLite), `savoirs worker`
when it starts (PostgreSQL), and an operator with `savoirs purge`, which prints its counts and, run again, does
nothing more. Their data is made on a clock set in the past, so that it is due now."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from app.cli import main
from app.clock import FixedClock
from app.config import Settings
from app.main import create_app
from tests.cli_support import cli_env
from tests.conftest import BASE_URL
from tests.recognition_jobs.conftest import ask, audit, decide, evidence_count, request_row

ROOT = Path(__file__).resolve().parent.parent.parent


@pytest.fixture
def clock() -> FixedClock:
    """The test's clock, 100 days ago: what it declines is due for purging now, on the service's real clock."""
    return FixedClock(datetime.now(UTC).replace(microsecond=0) - timedelta(days=100))


@pytest.fixture
def sqlite_only(database_url: str) -> None:
    """Listed first, so that nothing else is set up for the other database."""
    if not database_url.startswith("sqlite"):
        pytest.skip("the in-process worker runs on SQLite only")


@pytest.fixture
def postgres_only(database_url: str) -> None:
    if database_url.startswith("sqlite"):
        pytest.skip("with SQLite, `savoirs serve` runs the jobs itself")


def _declined(client: TestClient, key: dict[str, str], badge: str, members: dict[str, str],
              clock: FixedClock) -> tuple[str, str]:
    """A request declined 100 days ago, and one declined 80 days ago."""
    old, recent = ask(client, badge)["id"], ask(client, badge)["id"]
    decide(client, key, old, members, "decline")
    clock.at += timedelta(days=20)
    decide(client, key, recent, members, "decline")
    return old, recent


def _wait_for(condition: Callable[[], bool], seconds: float = 30) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def test_savoirs_purge_prints_what_it_did_and_a_second_run_does_nothing(
        client: TestClient, app: Any, key: dict[str, str], badge: str, members: dict[str, str], clock: FixedClock,
        database_url: str, tmp_path: Path) -> None:
    old, recent = _declined(client, key, badge, members, clock)
    env = cli_env(database_url, tmp_path)
    first = CliRunner().invoke(main, ["purge"], env=env)
    assert first.exit_code == 0, first.output
    assert json.loads(first.output) == {"requests": 1, "evidence": 2, "proposals": 0, "endorsements": 0, "emails": 0,
                                        "challenges": 0, "sessions": 0, "rate_windows": 0}
    assert (evidence_count(app, old), request_row(app, old).requester_name) == (0, None)
    assert (evidence_count(app, recent), request_row(app, recent).requester_name) == (2, "Sylvie")
    again = CliRunner().invoke(main, ["purge"], env=env)
    assert again.exit_code == 0 and json.loads(again.output)["requests"] == 0
    assert [(r.actor, r.details["requests"]) for r in audit(app, "retention.purge")] == [("cli", 1), ("cli", 0)]
    assert "purge" in CliRunner().invoke(main, ["--help"]).output


@pytest.fixture
def serving(settings: Settings) -> Iterator[Any]:
    """The application as `savoirs serve` runs it (real clock, in-process worker)."""
    application = create_app(settings)
    yield application
    application.state.db.dispose()


def test_on_sqlite_the_server_purges_what_is_due_when_it_starts(
        sqlite_only: None, client: TestClient, app: Any, key: dict[str, str], badge: str, members: dict[str, str],
        clock: FixedClock, serving: Any) -> None:
    old, recent = _declined(client, key, badge, members, clock)
    with TestClient(serving, base_url=BASE_URL):
        assert _wait_for(lambda: evidence_count(app, old) == 0)
        assert _wait_for(lambda: bool(audit(app, "retention.purge")))
        periodic = serving.state.ctx.jobs.app.periodic_registry.periodic_tasks
        assert [task.task.name for task in periodic.values()] == ["savoirs.schedule_purge"]  # then every hour
    assert evidence_count(app, recent) == 2
    (run,) = audit(app, "retention.purge")
    assert (run.actor, run.details["requests"], run.details["finished"]) == ("system", 1, True)


def test_on_postgresql_savoirs_worker_purges_what_is_due_when_it_starts(
        postgres_only: None, client: TestClient, app: Any, key: dict[str, str], badge: str, members: dict[str, str],
        clock: FixedClock, database_url: str, tmp_path: Path) -> None:
    old, recent = _declined(client, key, badge, members, clock)
    env = {**os.environ, **cli_env(database_url, tmp_path), "LOG_LEVEL": "WARNING"}
    worker = subprocess.Popen([sys.executable, "-m", "app.cli", "worker"], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        done = _wait_for(lambda: evidence_count(app, old) == 0 and bool(audit(app, "retention.purge")))
    finally:
        worker.send_signal(signal.SIGTERM)
        _, errors = worker.communicate(timeout=30)
    assert done, errors.decode(errors="replace")[-2000:]
    assert worker.returncode == 0 and evidence_count(app, recent) == 2
    (run,) = audit(app, "retention.purge")
    assert (run.actor, run.details["requests"]) == ("system", 1)
