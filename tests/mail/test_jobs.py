"""The ``send_email`` job: ids only in its parameters, a lock of its own per message (never one per organisation),
no organisation needed; it runs in process on SQLite and in ``savoirs worker`` on PostgreSQL."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from app.cli import main
from app.jobs.testing import run_pending
from app.main import create_app
from app.models import Organisation
from tests.conftest import BASE_URL, TEST_KEK
from tests.mail.conftest import ADDRESS, MAIL_FROM, SmtpServer, an_email, email_row, job_of, procrastinate_jobs, queue


def test_the_job_parameters_hold_ids_only(mail_app: Any, smtp_server: SmtpServer) -> None:
    email_id = queue(mail_app)
    (queued,) = procrastinate_jobs(mail_app)
    job = job_of(mail_app, email_id)
    assert queued["task_name"] == "savoirs.send_email"
    assert queued["args"] == {"job_id": job.id, "org_id": None, "email_id": email_id}
    assert job.params == {"email_id": email_id}
    assert ADDRESS.split("@")[0] not in json.dumps([queued, job.params])


def test_each_message_has_a_lock_of_its_own_whatever_its_organisation(mail_app: Any,
                                                                      smtp_server: SmtpServer) -> None:
    with mail_app.state.db.transaction() as session:
        org = Organisation(slug="puchot", name="Centre social du Puchot", url="https://puchot.example",
                           email="contact@puchot.example")
        session.add(org)
    first, second = queue(mail_app, an_email(org_id=org.id)), queue(mail_app, an_email(org_id=org.id))
    assert [j["lock"] for j in procrastinate_jobs(mail_app)] == [f"savoirs.send_email.{first}",
                                                                  f"savoirs.send_email.{second}"]
    run_pending(mail_app)
    assert len(smtp_server.handler.received) == 2


def test_on_sqlite_the_application_sends_its_messages_itself(settings_factory: Callable[..., Any],
                                                             smtp_server: SmtpServer, database_url: str) -> None:
    if not database_url.startswith("sqlite"):
        pytest.skip("the in-process worker runs on SQLite only")
    app = create_app(settings_factory(smtp_url=smtp_server.url, mail_from=MAIL_FROM))
    with TestClient(app, base_url=BASE_URL):
        email_id = queue(app)
        deadline = time.monotonic() + 30
        while (row := email_row(app, email_id)) is not None and row.state == "queued" and time.monotonic() < deadline:
            time.sleep(0.02)
    app.state.db.dispose()
    assert row is not None and row.state == "sent"
    assert len(smtp_server.handler.received) == 1


def test_on_postgresql_savoirs_worker_sends_the_messages(mail_app: Any, smtp_server: SmtpServer, database_url: str,
                                                         tmp_path: Path, restore_logging: None) -> None:
    if database_url.startswith("sqlite"):
        pytest.skip("on SQLite the application sends its messages itself")
    email_id = queue(mail_app)
    env = {"DATABASE_URL": database_url, "KEK": TEST_KEK, "ENVIRONMENT": "test", "PUBLIC_BASE_URL": BASE_URL,
           "VAR_DIR": str(tmp_path / "var"), "LOG_LEVEL": "WARNING", "SMTP_URL": smtp_server.url,
           "MAIL_FROM": MAIL_FROM}
    result = CliRunner().invoke(main, ["worker", "--once"], env=env)
    assert result.exit_code == 0, result.output
    row = email_row(mail_app, email_id)
    assert row is not None and row.state == "sent"
    assert len(smtp_server.handler.received) == 1
