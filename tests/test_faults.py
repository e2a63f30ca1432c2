"""Issue 18, faults as tests. R2: a server killed with SIGKILL between signing an award and committing it (the
fault point ``award_before_commit``, app/faults.py) leaves no award; the same request retried with its
``Idempotency-Key`` then issues exactly one credential, which verifies. R5: without the key-encryption key, issuing
answers 503 and verifying a credential issued before still works. SQLite and PostgreSQL."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from app.config import Settings
from app.main import create_app
from tests.conftest import ADMIN_TOKEN, BASE_URL, TEST_KEK, bearer
from tests.live_server import free_port

ROOT = Path(__file__).resolve().parents[1]
BADGE = {"name": "Radio", "description": "Animer une émission.", "criteria": {"narrative": "A animé."}}
AWARD = {"recipient": {"email": "sylvie@exemple.fr", "public": True}, "notify": False}


def _count(database_url: str) -> int:
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            return int(connection.execute(text("SELECT count(*) FROM awards")).scalar_one())
    finally:
        engine.dispose()


def _credential(client: TestClient, award: dict[str, Any]) -> dict[str, Any]:
    answer = client.get(f"/credentials/{award['id']}", headers={"Accept": "application/ld+json"})
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def _published(client: TestClient, token: str) -> str:
    created = client.post("/api/v1/achievements", json=BADGE, headers=bearer(token)).json()
    client.post(f"/api/v1/achievements/{created['id']}/publish", headers=bearer(token)).raise_for_status()
    return str(created["id"])


def _doomed_server(database_url: str, tmp_path: Path) -> tuple[subprocess.Popen[bytes], str]:
    """A server on the same database that kills itself at the fault point."""
    port = free_port()
    env = {**os.environ, "DATABASE_URL": database_url, "KEK": TEST_KEK, "ENVIRONMENT": "test",
           "PUBLIC_BASE_URL": BASE_URL, "ADMIN_TOKEN": ADMIN_TOKEN, "VAR_DIR": str(tmp_path / "var"),
           "SAVOIRS_FAULT": "award_before_commit"}
    server = subprocess.Popen([sys.executable, "-m", "uvicorn", "app.asgi:app", "--host", "127.0.0.1", "--port",
                               str(port)], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                return server, base
        except httpx.HTTPError:
            time.sleep(0.2)
    server.kill()
    raise AssertionError("the server did not start")


def test_a_server_killed_before_commit_leaves_no_award_and_the_retry_issues_one(
        client: TestClient, token: str, database_url: str, tmp_path: Path) -> None:
    achievement = _published(client, token)
    server, base = _doomed_server(database_url, tmp_path)
    headers = {**bearer(token), "Idempotency-Key": "r2-award"}
    try:
        with pytest.raises(httpx.HTTPError):  # the connection dies with the server
            httpx.post(f"{base}/api/v1/achievements/{achievement}/awards", json=AWARD, headers=headers, timeout=60)
        assert server.wait(timeout=30) == -9  # SIGKILL, at the fault point
    finally:
        if server.poll() is None:
            server.kill()
    assert _count(database_url) == 0
    retried = client.post(f"/api/v1/achievements/{achievement}/awards", json=AWARD, headers=headers)
    assert retried.status_code == 201, retried.text
    again = client.post(f"/api/v1/achievements/{achievement}/awards", json=AWARD, headers=headers)
    assert again.json()["id"] == retried.json()["id"] and _count(database_url) == 1
    credential = _credential(client, retried.json())
    assert client.post("/api/v1/verify", json={"credential": credential}).json()["verified"] is True


def test_without_the_key_encryption_key_issuing_is_503_and_verifying_still_works(
        client: TestClient, token: str, settings: Settings) -> None:
    achievement = _published(client, token)
    issued = _credential(client, client.post(f"/api/v1/achievements/{achievement}/awards", json=AWARD,
                                             headers=bearer(token)).json())
    no_kek = create_app(settings.model_copy(update={"kek": None}), jobs_in_process=False)
    try:
        with TestClient(no_kek, base_url=BASE_URL) as other:
            refused = other.post(f"/api/v1/achievements/{achievement}/awards", json=AWARD, headers=bearer(token))
            assert refused.status_code == 503 and refused.json()["code"] == "signing_unavailable"
            report: dict[str, Any] = other.post("/api/v1/verify", json={"credential": issued}).json()
            assert report["verified"] is True, [c for c in report["checks"] if c["outcome"] != "passed"]
    finally:
        no_kek.state.db.dispose()


def test_a_database_that_does_not_answer_in_time_is_a_503_and_nothing_half_written(
        settings_factory: Any, database_url: str) -> None:
    """R3: another transaction holds what a write needs (PostgreSQL: the table locked; SQLite: the write lock).
    Past ``DB_STATEMENT_TIMEOUT_MS`` the write is cancelled: 503 with ``Retry-After``, nothing stored; once the
    lock is gone the same request succeeds."""
    application = create_app(settings_factory(db_statement_timeout_ms=500), jobs_in_process=False)
    engine = create_engine(database_url)
    try:
        with TestClient(application, base_url=BASE_URL) as http:
            token = http.post("/api/v1/orgs", headers={"Authorization": f"Bearer {ADMIN_TOKEN}"}, json={
                "slug": "puchot", "name": "Centre social du Puchot", "url": "https://puchot.example",
                "email": "contact@puchot.example"}).json()["api_key"]["token"]
            with engine.connect() as holder:
                if database_url.startswith("sqlite"):
                    holder.exec_driver_sql("BEGIN IMMEDIATE")
                else:
                    holder.execute(text("LOCK TABLE achievements IN ACCESS EXCLUSIVE MODE"))
                refused = http.post("/api/v1/achievements", json=BADGE, headers=bearer(token))
                holder.rollback()
            assert refused.status_code == 503, refused.text
            assert refused.headers["retry-after"] and refused.json()["message_fr"]
            assert _rows_of(database_url, "achievements") == 0
            assert http.post("/api/v1/achievements", json=BADGE, headers=bearer(token)).status_code == 201
    finally:
        engine.dispose()
        application.state.db.dispose()


def _rows_of(database_url: str, table: str) -> int:
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            return int(connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())  # noqa: S608
    finally:
        engine.dispose()
