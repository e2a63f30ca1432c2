"""Keys that survive compromise: compromising the Data Integrity (Ed25519) key queues, in the same transaction, one
job that re-signs every credential it signed; until the job reaches a credential, serving it re-signs it first."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from app.badges.baking import unbake
from app.config import Settings
from app.jobs import resign
from app.jobs.testing import run_pending
from app.main import create_app
from app.models import Job
from app.services.context import build_context
from tests.conftest import BASE_URL, bearer
from tests.jobs.conftest import compromise, fetch, issue, job_row, key_of, queued, signer_of, stored


def _jobs(app: Any) -> int:
    with app.state.db.sessions() as session:
        return session.scalar(select(func.count()).select_from(Job)) or 0


def _jwt_payload(token: str) -> dict[str, Any]:
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))  # type: ignore[no-any-return]


def test_compromising_the_ed25519_key_queues_one_job_and_links_it(client: TestClient, make_org: Any,
                                                                  app: Any) -> None:
    token = make_org("puchot")["api_key"]["token"]
    old = key_of(client, token)
    body = compromise(client, token, old["id"])
    assert (body["id"], body["status"], body["verification_method"]) == (old["id"], "compromised", None)
    job = body["job"]
    assert job["state"] == "queued" and job["links"]["self"] == f"{BASE_URL}/api/v1/jobs/{job['id']}"
    followed = client.get(job["links"]["self"].removeprefix(BASE_URL), headers=bearer(token))
    assert followed.status_code == 200
    assert {k: followed.json()[k] for k in ("kind", "state", "attempts", "last_error", "progress_done")} == {
        "kind": "resign_credentials", "state": "queued", "attempts": 0, "last_error": None, "progress_done": 0}
    assert _jobs(app) == 1
    (waiting,) = queued(app)  # procrastinate's job, committed with the compromise
    assert waiting["status"] == "todo" and waiting["args"]["job_id"] == job["id"]
    assert waiting["args"]["compromised_key_id"] == old["id"]


def test_a_compromise_that_fails_leaves_no_job(client: TestClient, make_org: Any, app: Any) -> None:
    token = make_org("puchot")["api_key"]["token"]
    assert client.post("/api/v1/keys/nope/compromise", headers=bearer(token)).status_code == 404
    assert _jobs(app) == 0 and queued(app) == []
    key = key_of(client, token)
    compromise(client, token, key["id"])
    assert client.post(f"/api/v1/keys/{key['id']}/compromise", headers=bearer(token)).status_code == 409
    assert _jobs(app) == 1 and len(queued(app)) == 1


def test_compromising_a_jwt_key_queues_nothing(client: TestClient, make_org: Any, app: Any) -> None:
    token = make_org("puchot")["api_key"]["token"]
    assert compromise(client, token, key_of(client, token, "RSA-2048")["id"])["job"] is None
    assert _jobs(app) == 0 and queued(app) == []


def test_the_job_resigns_every_credential_of_the_organisation_and_no_other(client: TestClient, make_org: Any,
                                                                        app: Any) -> None:
    token = make_org("puchot")["api_key"]["token"]
    other = make_org("voisins")["api_key"]["token"]
    ours, theirs = issue(client, token, 3), issue(client, other, 2)
    before, untouched = stored(app, ours), stored(app, theirs)
    old = key_of(client, token)
    job = compromise(client, token, old["id"])["job"]
    new = key_of(client, token)
    run_pending(app)
    after = stored(app, ours)
    for award_id in ours:
        key_id, credential = after[award_id]
        assert key_id == new["id"] and signer_of(client, credential) == new["id"]
        assert credential["id"] == before[award_id][1]["id"] == f"{BASE_URL}/credentials/{award_id}"
        unchanged = {k: v for k, v in before[award_id][1].items() if k != "proof"}
        assert {k: v for k, v in credential.items() if k != "proof"} == unchanged
        assert credential["proof"][0]["cryptosuite"] == "eddsa-rdfc-2022"
    assert stored(app, theirs) == untouched
    row = job_row(app, job["id"])
    assert (row.state, row.attempts, row.last_error) == ("succeeded", 1, None)
    assert row.progress_total == row.progress_done == 3
    assert [j["status"] for j in queued(app)] == ["succeeded"]
    run_pending(app)  # nothing left to run: the job does not run twice
    assert job_row(app, job["id"]).attempts == 1


def test_nothing_signed_by_the_withdrawn_key_is_served_before_the_job_runs(client: TestClient, make_org: Any,
                                                                           app: Any) -> None:
    token = make_org("puchot")["api_key"]["token"]
    ids = issue(client, token, 4, public=True)
    old = key_of(client, token)
    job = compromise(client, token, old["id"])["job"]
    new = key_of(client, token)
    json_ld = fetch(client, ids[0])
    assert signer_of(client, json_ld) == new["id"] and old["id"] not in json.dumps(json_ld)
    jwt = client.get(f"/credentials/{ids[1]}", headers={"Accept": "application/jwt"})
    assert jwt.status_code == 200
    embedded = {k: v for k, v in _jwt_payload(jwt.text).items() if k not in ("iss", "jti", "nbf", "sub", "exp")}
    assert signer_of(client, embedded) == new["id"] and old["id"] not in jwt.text
    baked = client.get(f"/credentials/{ids[2]}/badge.png")
    assert baked.status_code == 200
    assert signer_of(client, json.loads(unbake(baked.content).payload)) == new["id"]
    # what was served is what is stored now: the job leaves those three alone and re-signs the fourth
    served = stored(app, ids[:3])
    assert all(key_id == new["id"] for key_id, _ in served.values())
    run_pending(app)
    assert stored(app, ids[:3]) == served
    assert stored(app, ids[3:])[ids[3]][0] == new["id"]
    row = job_row(app, job["id"])
    assert row.state == "succeeded" and row.progress_done == row.progress_total == 1


def test_a_vc_jwt_after_the_job_embeds_the_resigned_credential(client: TestClient, make_org: Any,
                                                               app: Any) -> None:
    token = make_org("puchot")["api_key"]["token"]
    (award_id,) = issue(client, token, 1, public=True)
    old = key_of(client, token)
    compromise(client, token, old["id"])
    run_pending(app)
    for alg in ("RS256", "ES256"):
        response = client.get(f"/credentials/{award_id}?format=jwt&alg={alg}")
        assert response.status_code == 200 and old["id"] not in response.text
        payload = _jwt_payload(response.text)
        assert payload["proof"] == stored(app, [award_id])[award_id][1]["proof"]


def test_without_a_kek_a_credential_to_resign_is_503_with_retry_after(client: TestClient, make_org: Any,
                                                                      settings: Settings, app: Any) -> None:
    token = make_org("puchot")["api_key"]["token"]
    (award_id,) = issue(client, token, 1, public=True)
    compromise(client, token, key_of(client, token)["id"])
    no_kek = create_app(settings.model_copy(update={"kek": None}), jobs_in_process=False)
    with TestClient(no_kek, base_url=BASE_URL) as other:
        for path in (f"/credentials/{award_id}", f"/credentials/{award_id}?format=jwt",
                     f"/credentials/{award_id}/badge.svg"):
            response = other.get(path)
            assert response.status_code == 503, path
            assert response.headers["retry-after"] == "300"
            problem = response.json()
            assert problem["code"] == "credential_resigning"
            assert "withdrawn" in problem["message_en"] and "retirée" in problem["message_fr"]
    no_kek.state.db.dispose()
    assert signer_of(client, fetch(client, award_id)) == key_of(client, token)["id"]  # with the KEK: re-signed


def test_a_stopped_job_resumes_and_resigns_each_credential_exactly_once(client: TestClient, make_org: Any,
                                                                        app: Any) -> None:
    token = make_org("puchot")["api_key"]["token"]
    ids = issue(client, token, 5)
    job = compromise(client, token, key_of(client, token)["id"])["job"]
    new = key_of(client, token)
    # a worker that stops after its first batch of two (its transaction committed, the next one never began)
    assert resign.run(app.state.ctx, job["id"], batch_size=2, max_batches=1) is False
    first = {k: v for k, v in stored(app, ids).items() if v[0] == new["id"]}
    assert len(first) == 2
    row = job_row(app, job["id"])
    assert (row.progress_done, row.progress_total) == (2, 5)
    run_pending(app)  # the queued job runs: it goes on with what is left
    after = stored(app, ids)
    assert all(after[award_id] == first[award_id] for award_id in first)  # not signed a second time
    assert all(key_id == new["id"] and signer_of(client, c) == new["id"] for key_id, c in after.values())
    row = job_row(app, job["id"])
    assert (row.state, row.progress_done, row.progress_total) == ("succeeded", 5, 5)


@pytest.fixture
def no_kek_context(settings: Settings) -> Any:
    """What a worker started without the key-encryption key runs jobs with."""
    ctx = build_context(settings.model_copy(update={"kek": None}))
    yield ctx
    ctx.db.dispose()


def test_a_failing_run_is_recorded_and_retried(client: TestClient, make_org: Any, app: Any,
                                               no_kek_context: Any) -> None:
    token = make_org("puchot")["api_key"]["token"]
    ids = issue(client, token, 2)
    old = key_of(client, token)
    job = compromise(client, token, old["id"])["job"]
    run_pending(app, ctx=no_kek_context)
    row = job_row(app, job["id"])
    assert (row.state, row.attempts) == ("queued", 1)
    assert row.last_error is not None and row.last_error.startswith("signing_unavailable: ")
    assert all(key_id == old["id"] for key_id, _ in stored(app, ids).values())  # nothing half-done
    (waiting,) = queued(app)
    assert (waiting["status"], waiting["attempts"]) == ("todo", 1)  # retried, after its delay
    shown = client.get(f"/api/v1/jobs/{job['id']}", headers=bearer(token)).json()
    assert (shown["state"], shown["attempts"], shown["last_error"]) == ("queued", 1, row.last_error)
    run_pending(app, due_now=True)  # the delay has passed; this worker has the KEK
    row = job_row(app, job["id"])
    assert (row.state, row.attempts, row.progress_done, row.progress_total) == ("succeeded", 2, 2, 2)
    new = key_of(client, token)
    assert all(key_id == new["id"] and signer_of(client, c) == new["id"] for key_id, c in stored(app, ids).values())


def test_after_its_last_attempt_a_job_is_failed(client: TestClient, make_org: Any, app: Any,
                                                no_kek_context: Any) -> None:
    token = make_org("puchot")["api_key"]["token"]
    issue(client, token, 1)
    job = compromise(client, token, key_of(client, token)["id"])["job"]
    for _ in range(6):  # the first run and its 5 retries
        run_pending(app, ctx=no_kek_context, due_now=True, limit=1)
    row = job_row(app, job["id"])
    assert (row.state, row.attempts) == ("failed", 6) and row.last_error is not None
    assert [(j["status"], j["attempts"]) for j in queued(app)] == [("failed", 6)]
    run_pending(app, due_now=True)  # nothing is retried after the last attempt
    assert job_row(app, job["id"]).state == "failed"
