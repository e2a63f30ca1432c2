"""Jobs tests: the application does not run its SQLite worker thread; tests run due jobs with ``run_pending``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, text

from app.config import Settings
from app.main import create_app
from app.models import Award, Job
from app.signing.data_integrity import list_proofs, verify_proof
from app.signing.loader import make_loader
from app.signing.multikey import decode_public_key
from tests.conftest import BASE_URL, bearer

BADGE = {"name": "Radio", "description": "Animer une émission.", "criteria": {"narrative": "A animé."}}


@pytest.fixture
def app(settings: Settings) -> Iterator[Any]:
    application = create_app(settings, jobs_in_process=False)
    yield application
    application.state.db.dispose()


def issue(client: TestClient, token: str, count: int, *, public: bool = False) -> list[str]:
    """``count`` awards of a new published achievement (``public``: their recipients agreed that their addresses
    serve them); their ids."""
    achievement = client.post("/api/v1/achievements", json=BADGE, headers=bearer(token)).json()
    client.post(f"/api/v1/achievements/{achievement['id']}/publish", headers=bearer(token))
    rows = [{"recipient": {"email": f"personne{i}@example.fr", **({"public": True} if public else {})}}
            for i in range(count)]
    response = client.post(f"/api/v1/achievements/{achievement['id']}/awards:batch", json={"rows": rows},
                           headers=bearer(token))
    assert response.status_code == 200, response.text
    return [r["award_id"] for r in response.json()["results"]]


def key_of(client: TestClient, token: str, algorithm: str = "Ed25519") -> dict[str, Any]:
    """The organisation's active key of ``algorithm``."""
    keys = client.get("/api/v1/keys", headers=bearer(token)).json()
    (key,) = [k for k in keys if k["algorithm"] == algorithm and k["status"] == "active"]
    return key  # type: ignore[no-any-return]


def compromise(client: TestClient, token: str, key_id: str) -> dict[str, Any]:
    response = client.post(f"/api/v1/keys/{key_id}/compromise", headers=bearer(token))
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def stored(app: Any, ids: list[str]) -> dict[str, tuple[str, dict[str, Any]]]:
    """The stored credentials by award id, with the id of the key that signed them."""
    with app.state.db.sessions() as session:
        return {a.id: (a.signing_key_id, a.credential)
                for a in session.scalars(select(Award).where(Award.id.in_(ids)))}


def job_row(app: Any, job_id: str) -> Job:
    with app.state.db.sessions() as session:
        return session.get_one(Job, job_id)


def signer_of(client: TestClient, credential: dict[str, Any]) -> str:
    """Verify the credential's only proof with the key its issuer publishes now (did.json); the key's id."""
    (ref,) = list_proofs(credential)
    did_doc = client.get("/orgs/" + ref.verification_method.split("#")[0].split(":")[-1] + "/did.json").json()
    (method,) = [m for m in did_doc["verificationMethod"] if m["id"] == ref.verification_method]
    verify_proof(credential, ref.proof, public_key=decode_public_key(method["publicKeyMultibase"]),
                 loader=make_loader())
    return ref.verification_method.split("#")[1]


def fetch(client: TestClient, award_id: str) -> dict[str, Any]:
    response = client.get(f"/credentials/{award_id}", headers={"Accept": "application/ld+json"})
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def queued(app: Any) -> list[dict[str, Any]]:
    """procrastinate's own jobs (status, attempts), whatever the backend."""
    queue = app.state.ctx.jobs
    if queue.in_memory:
        return [{"status": j["status"], "attempts": j["attempts"], "args": j["args"]}
                for j in queue.connector.jobs.values()]
    with app.state.db.sessions() as session:
        rows = session.execute(text("SELECT status::text AS status, attempts, args FROM procrastinate_jobs "
                                    "WHERE task_name LIKE 'savoirs.resign%' ORDER BY id"))
        return [dict(r._mapping) for r in rows]


__all__ = ["BASE_URL", "compromise", "fetch", "issue", "job_row", "key_of", "queued", "signer_of", "stored"]
