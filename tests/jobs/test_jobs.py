"""The job system: a job exists only if the transaction that enqueues it commits; it is visible to its organisation
only; it runs in process on SQLite (surviving a restart through its record) and in ``savoirs worker`` on
PostgreSQL."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from sqlalchemy import func, select, text

from app.cli import main
from app.config import Settings
from app.errors import SigningUnavailable
from app.jobs.records import describe
from app.jobs.testing import run_pending
from app.main import create_app
from app.models import Job
from tests.conftest import BASE_URL, TEST_KEK, bearer
from tests.jobs.conftest import compromise, issue, job_row, key_of, queued, signer_of, stored


def _org_id(client: TestClient, token: str) -> str:
    return client.get("/api/v1/org", headers=bearer(token)).json()["id"]  # type: ignore[no-any-return]


def test_a_job_enqueued_in_a_transaction_that_rolls_back_does_not_exist(client: TestClient, make_org: Any,
                                                                        app: Any) -> None:
    org_id = _org_id(client, make_org("puchot")["api_key"]["token"])
    ctx = app.state.ctx
    with pytest.raises(RuntimeError), ctx.db.transaction() as session:
        ctx.jobs.enqueue(session, "resign_credentials", org_id=org_id, params={"compromised_key_id": "k"},
                         now=ctx.clock.now())
        raise RuntimeError("the change fails after the job was enqueued")
    with ctx.db.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Job)) == 0
    assert queued(app) == []
    with ctx.db.transaction() as session:
        kept = ctx.jobs.enqueue(session, "resign_credentials", org_id=org_id, params={"compromised_key_id": "k"},
                                now=ctx.clock.now())
    assert [j["args"]["job_id"] for j in queued(app)] == [kept.id]


def test_a_job_is_visible_to_its_organisation_only(client: TestClient, make_org: Any) -> None:
    created = make_org("puchot")
    token = created["api_key"]["token"]
    job = compromise(client, token, key_of(client, token)["id"])["job"]
    path = f"/api/v1/jobs/{job['id']}"
    assert client.get(path, headers=bearer(token)).json()["id"] == job["id"]
    other = make_org("voisins")["api_key"]["token"]
    assert client.get(path, headers=bearer(other)).status_code == 404
    assert client.get("/api/v1/jobs/nope", headers=bearer(token)).status_code == 404
    assert client.get(path).status_code == 401
    issuer = client.post("/api/v1/api-keys", json={"scopes": ["issue"]}, headers=bearer(token)).json()["token"]
    assert client.get(path, headers=bearer(issuer)).status_code == 403


def test_the_recorded_error_is_short_and_shows_no_details() -> None:
    assert describe(SigningUnavailable()).startswith("signing_unavailable: Issuing is unavailable")
    leaked = describe(ValueError("sylvie@example.fr /srv/secret.key"))
    assert leaked == "ValueError: unexpected failure (details in the worker's log)"
    assert len(describe(SigningUnavailable("x" * 1000))) == 300


def _sqlite_only(database_url: str) -> None:
    if not database_url.startswith("sqlite"):
        pytest.skip("the in-process worker runs on SQLite only")


def _wait_until_done(client: TestClient, token: str, job_id: str) -> dict[str, Any]:
    """Follow the job as a person would, until it is done (no timing is asserted)."""
    deadline = time.monotonic() + 60
    while True:
        shown: dict[str, Any] = client.get(f"/api/v1/jobs/{job_id}", headers=bearer(token)).json()
        if shown["state"] in ("succeeded", "failed") or time.monotonic() > deadline:
            return shown
        time.sleep(0.05)


@pytest.fixture
def serving_app(settings: Settings) -> Iterator[Any]:
    """The application as ``savoirs serve`` runs it: on SQLite, with its in-process job worker."""
    application = create_app(settings)
    yield application
    application.state.db.dispose()


def test_on_sqlite_the_application_runs_its_jobs_itself(serving_app: Any, make_org: Any,
                                                        database_url: str) -> None:
    _sqlite_only(database_url)
    with TestClient(serving_app, base_url=BASE_URL) as client:
        token = client.post("/api/v1/orgs", json={"slug": "puchot", "name": "P", "url": "https://p.example",
                                                  "email": "a@p.example"},
                            headers={"Authorization": "Bearer test-admin-token-0123456789"}).json()["api_key"]["token"]
        ids = issue(client, token, 3)
        job = compromise(client, token, key_of(client, token)["id"])["job"]
        shown = _wait_until_done(client, token, job["id"])
        assert (shown["state"], shown["progress_done"], shown["progress_total"]) == ("succeeded", 3, 3)
        new = key_of(client, token)["id"]
        assert all(key_id == new and signer_of(client, c) == new for key_id, c in stored(serving_app, ids).values())
    assert serving_app.state.ctx.jobs.runner is None  # stopped with the application


def test_on_sqlite_a_job_left_queued_by_a_stopped_process_runs_at_the_next_start(
        client: TestClient, make_org: Any, app: Any, settings: Settings, database_url: str) -> None:
    _sqlite_only(database_url)
    token = make_org("puchot")["api_key"]["token"]
    ids = issue(client, token, 2)
    job = compromise(client, token, key_of(client, token)["id"])["job"]  # queued in this process's memory only
    restarted = create_app(settings)
    with TestClient(restarted, base_url=BASE_URL) as again:
        assert _wait_until_done(again, token, job["id"])["state"] == "succeeded"
    restarted.state.db.dispose()
    new = key_of(client, token)["id"]
    assert all(key_id == new for key_id, _ in stored(app, ids).values())


def test_run_pending_refuses_a_queue_the_in_process_worker_runs(serving_app: Any, database_url: str) -> None:
    _sqlite_only(database_url)
    with TestClient(serving_app, base_url=BASE_URL), pytest.raises(RuntimeError, match="in-process"):
        run_pending(serving_app)


def _env(database_url: str, tmp_path: Path) -> dict[str, str]:
    return {"DATABASE_URL": database_url, "KEK": TEST_KEK, "ENVIRONMENT": "test", "PUBLIC_BASE_URL": BASE_URL,
            "VAR_DIR": str(tmp_path / "var"), "LOG_LEVEL": "WARNING"}


@pytest.fixture
def restore_logging() -> Iterator[None]:
    """``savoirs worker`` configures the process's logging, as a command does: put it back for the next tests."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:], root.level = handlers, level


def test_savoirs_worker_runs_the_queued_jobs_on_postgresql(client: TestClient, make_org: Any, app: Any,
                                                          database_url: str, tmp_path: Path,
                                                          restore_logging: None) -> None:
    token = make_org("puchot")["api_key"]["token"]
    ids = issue(client, token, 2)
    job = compromise(client, token, key_of(client, token)["id"])["job"]
    result = CliRunner().invoke(main, ["worker", "--once"], env=_env(database_url, tmp_path))
    if database_url.startswith("sqlite"):
        assert result.exit_code == 1
        assert "savoirs serve" in result.output and "aucun worker" in result.output
        assert job_row(app, job["id"]).state == "queued"
        return
    assert result.exit_code == 0, result.output
    row = job_row(app, job["id"])
    assert (row.state, row.attempts, row.progress_done) == ("succeeded", 1, 2)
    new = key_of(client, token)["id"]
    assert all(key_id == new for key_id, _ in stored(app, ids).values())


def test_on_postgresql_the_job_of_a_worker_that_died_runs_again(client: TestClient, make_org: Any, app: Any,
                                                               database_url: str, tmp_path: Path,
                                                               restore_logging: None) -> None:
    if database_url.startswith("sqlite"):
        pytest.skip("on SQLite the next start queues unfinished jobs again (see above)")
    token = make_org("puchot")["api_key"]["token"]
    ids = issue(client, token, 2)
    job = compromise(client, token, key_of(client, token)["id"])["job"]
    with app.state.db.transaction() as session:  # a worker took the job, then died: no heartbeat since
        dead = session.execute(text("INSERT INTO procrastinate_workers (last_heartbeat) "
                                    "VALUES (now() - interval '1 hour') RETURNING id")).scalar_one()
        session.execute(text("UPDATE procrastinate_jobs SET status = 'doing', worker_id = :dead"), {"dead": dead})
    run_pending(app)
    assert job_row(app, job["id"]).state == "queued"  # taken: no other worker runs it twice
    result = CliRunner().invoke(main, ["worker", "--once"], env=_env(database_url, tmp_path))
    assert result.exit_code == 0, result.output
    assert job_row(app, job["id"]).state == "succeeded"
    new = key_of(client, token)["id"]
    assert all(key_id == new for key_id, _ in stored(app, ids).values())


def test_a_job_whose_record_is_gone_does_nothing(client: TestClient, make_org: Any, app: Any) -> None:
    token = make_org("puchot")["api_key"]["token"]
    (award_id,) = issue(client, token, 1)
    old = key_of(client, token)
    job = compromise(client, token, old["id"])["job"]
    with app.state.db.transaction() as session:  # e.g. its organisation was deleted (the row goes with it)
        session.execute(text("DELETE FROM jobs WHERE id = :id"), {"id": job["id"]})
    run_pending(app)
    assert [j["status"] for j in queued(app)] == ["succeeded"]
    assert stored(app, [award_id])[award_id][0] == old["id"]  # serving would still re-sign it first


def test_a_job_of_no_organisation_is_shown_to_no_organisation(client: TestClient, make_org: Any, app: Any) -> None:
    token = make_org("puchot")["api_key"]["token"]
    ctx = app.state.ctx
    with ctx.db.transaction() as session:  # e.g. sending a holder's sign-in email
        job = ctx.jobs.enqueue(session, "send_email", org_id=None, params={"email_id": "e"}, now=ctx.clock.now())
    assert job_row(app, job.id).org_id is None
    assert client.get(f"/api/v1/jobs/{job.id}", headers=bearer(token)).status_code == 404
