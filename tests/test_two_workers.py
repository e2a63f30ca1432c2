"""Issue 18, "two workers on one database": two server processes (``uvicorn app.asgi:app``, each its own process)
on one database take 500 awards from 8 clients at once, half each: every one a 201, none lost, no status index given
twice; then 100 of them revoked at once through both: every bit set once, in the lists the credentials name."""

from __future__ import annotations

import threading
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import httpx
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from app.badges.bitstring import Bitstring
from tests.conftest import bearer
from tests.live_server import server_process

AWARDS, CLIENTS, REVOKED = 500, 8, 100
BADGE = {"name": "Radio", "description": "Animer une émission.", "criteria": {"narrative": "A animé."}}


def _rows(database_url: str, sql: str) -> list[Any]:
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            return list(connection.execute(text(sql)).all())
    finally:
        engine.dispose()


def _spread(bases: list[str], jobs: list[Any], send: Any) -> list[Any]:
    """``send(http, job)`` for every job, from CLIENTS threads, each client on one of the servers in turn."""
    answers: list[Any] = []
    lock = threading.Lock()
    parts = [jobs[n::CLIENTS] for n in range(CLIENTS)]

    def client(number: int) -> None:
        with httpx.Client(base_url=bases[number % len(bases)], timeout=120) as http:
            for job in parts[number]:
                answer = send(http, job)
                with lock:
                    answers.append(answer)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(300)
    return answers


def _servers(database_url: str, tmp_path: Path, stack: ExitStack) -> list[str]:
    return [stack.enter_context(server_process(database_url, tmp_path / f"worker-{n}")) for n in range(2)]


def test_two_processes_issue_and_revoke_concurrently_without_losing_or_doubling_anything(
        client: TestClient, token: str, database_url: str, tmp_path: Path) -> None:
    created = client.post("/api/v1/achievements", json=BADGE, headers=bearer(token)).json()
    client.post(f"/api/v1/achievements/{created['id']}/publish", headers=bearer(token)).raise_for_status()
    path = f"/api/v1/achievements/{created['id']}/awards"
    with ExitStack() as stack:
        bases = _servers(database_url, tmp_path, stack)
        issued = _spread(bases, list(range(AWARDS)), lambda http, n: http.post(path, headers=bearer(token), json={
            "recipient": {"email": f"habitant-{n}@exemple.fr"}, "notify": False}))
        statuses = sorted({answer.status_code for answer in issued})
        assert statuses == [201], [a.text for a in issued if a.status_code != 201][:3]
        ids = [answer.json()["id"] for answer in issued]
        revoked = _spread(bases, ids[:REVOKED], lambda http, award: http.post(
            f"/api/v1/awards/{award}/revoke", headers=bearer(token), json={"reason": "Essai"}))
        assert sorted({answer.status_code for answer in revoked}) == [200]
    (count, distinct), = _rows(database_url, "SELECT count(*), count(DISTINCT revocation_list_id || ':' || "
                                              "CAST(revocation_index AS TEXT)) FROM awards")
    assert (count, distinct) == (AWARDS, AWARDS)
    chosen = {(row[0], row[1]) for row in _rows(database_url, "SELECT revocation_list_id, revocation_index FROM "
                                                              "awards WHERE status = 'revoked'")}
    assert len(chosen) == REVOKED
    set_bits = set()
    for list_id, encoded in _rows(database_url, "SELECT id, encoded_list FROM status_lists "
                                                "WHERE purpose = 'revocation'"):
        bits = Bitstring.decode(encoded)
        set_bits |= {(owner, index) for owner, index in chosen if owner == list_id and bits.get(index)}
        assert sum(bits.get(i) for i in range(bits.size)) == sum(1 for owner, _ in chosen if owner == list_id)
    assert set_bits == chosen
