"""Issue 18, operations: ``GET /metrics`` in the Prometheus text format (read back with prometheus_client's own
parser): requests by route template and status, awards issued (replays not), verifications by verdict and those
refused at once, job runs by kind and outcome, the job queue by state."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from typing import Any

import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from app.config import Settings
from app.jobs.testing import run_pending
from app.main import create_app
from tests.conftest import bearer

BADGE = {"name": "Radio", "description": "Animer une émission.", "criteria": {"narrative": "A animé."}}


@pytest.fixture
def app(settings: Settings) -> Iterator[Any]:
    application = create_app(settings, jobs_in_process=False)  # jobs run when the test says (run_pending)
    yield application
    application.state.db.dispose()


def _samples(client: TestClient) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    answer = client.get("/metrics")
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/plain; version=0.0.4")
    return {(sample.name, tuple(sorted(sample.labels.items()))): sample.value
            for family in text_string_to_metric_families(answer.text) for sample in family.samples}


def _value(samples: dict[tuple[str, tuple[tuple[str, str], ...]], float], name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def _badge(client: TestClient, token: str) -> str:
    created = client.post("/api/v1/achievements", json=BADGE, headers=bearer(token)).json()
    client.post(f"/api/v1/achievements/{created['id']}/publish", headers=bearer(token)).raise_for_status()
    return str(created["id"])


def test_requests_are_counted_by_route_template_and_status(client: TestClient) -> None:
    for _ in range(2):
        client.get("/healthz")
    client.get("/credentials/aaaaaaaaaaaaaaaaaaaaaa")
    client.get("/credentials/bbbbbbbbbbbbbbbbbbbbbb")
    client.get("/nowhere")
    samples = _samples(client)
    assert _value(samples, "savoirs_http_requests_total", method="GET", route="/healthz", status="200") == 2
    assert _value(samples, "savoirs_http_requests_total", method="GET", route="/credentials/{award_id}",
                  status="404") == 2  # one label for every credential: the template
    assert _value(samples, "savoirs_http_requests_total", method="GET", route="unmatched", status="404") == 1
    assert _value(samples, "savoirs_http_request_duration_seconds_count", method="GET", route="/healthz") == 2


def test_awards_are_counted_once_batch_rows_included(client: TestClient, token: str) -> None:
    badge = _badge(client, token)
    once = {**bearer(token), "Idempotency-Key": "award-1"}
    for _ in range(2):  # the second is a replay
        assert client.post(f"/api/v1/achievements/{badge}/awards", headers=once,
                           json={"recipient": {"email": "a@exemple.fr"}, "notify": False}).status_code == 201
    batch = client.post(f"/api/v1/achievements/{badge}/awards:batch", headers=bearer(token), json={"rows": [
        {"recipient": {"email": "b@exemple.fr"}}, {"recipient": {"email": "c@exemple.fr"}}]})
    assert batch.status_code == 200 and batch.json()["issued"] == 2
    assert _value(_samples(client), "savoirs_awards_issued_total") == 3


def test_verifications_are_counted_by_verdict_and_refusals_apart(app: Any, client: TestClient) -> None:
    client.post("/api/v1/verify", json={"credential": {"name": "pas un badge"}})
    gate = app.state.ctx.verifications
    with ExitStack() as held:
        for _ in range(gate.limit):  # every place taken
            held.enter_context(gate.entered())
        assert client.post("/api/v1/verify", json={"credential": {}}).status_code == 503
    samples = _samples(client)
    assert _value(samples, "savoirs_verifications_total", trust="invalid") == 1
    assert _value(samples, "savoirs_verification_duration_seconds_count") == 1
    assert _value(samples, "savoirs_verifications_refused_total") == 1


def test_job_runs_and_the_queue_are_counted(app: Any, client: TestClient, token: str) -> None:
    badge = _badge(client, token)
    client.post(f"/api/v1/achievements/{badge}/awards", headers=bearer(token),
                json={"recipient": {"email": "a@exemple.fr"}}).raise_for_status()  # its message: one job
    assert _value(_samples(client), "savoirs_jobs", state="queued") == 1
    run_pending(app)
    samples = _samples(client)
    assert _value(samples, "savoirs_jobs_finished_total", kind="send_email", outcome="succeeded") == 1
    assert _value(samples, "savoirs_jobs", state="queued") == 0 and _value(samples, "savoirs_jobs",
                                                                           state="succeeded") == 1
