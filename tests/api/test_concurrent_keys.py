"""Issue 18: changes to one organisation's keys are serialised. Six rotations at once over real HTTP (uvicorn,
SQLite and PostgreSQL) leave exactly one active key of the algorithm, every retired one still published."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import httpx

from app.config import Settings
from app.main import create_app
from tests.conftest import admin_headers, bearer
from tests.live_server import free_port, serve

ROTATIONS = 6


def test_concurrent_rotations_leave_one_active_key_per_algorithm(settings_factory: Callable[..., Settings]) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    application = create_app(settings_factory(public_base_url=base), jobs_in_process=False)
    try:
        with serve(application, port, lifespan="off"), httpx.Client(base_url=base, timeout=60) as http:
            made = http.post("/api/v1/orgs", headers=admin_headers(), json={
                "slug": "puchot", "name": "Centre social du Puchot", "url": "https://puchot.example",
                "email": "contact@puchot.example"})
            key = bearer(made.json()["api_key"]["token"])
            start = threading.Barrier(ROTATIONS)
            statuses: list[int] = []

            def rotate() -> None:
                with httpx.Client(base_url=base, timeout=60) as own:
                    start.wait()
                    statuses.append(own.post("/api/v1/keys/rotate", json={"algorithms": ["Ed25519"]},
                                             headers=key).status_code)

            threads = [threading.Thread(target=rotate) for _ in range(ROTATIONS)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(60)
            assert statuses == [201] * ROTATIONS
            keys: list[dict[str, Any]] = http.get("/api/v1/keys", headers=key).json()
            ed25519 = [k for k in keys if k["algorithm"] == "Ed25519"]
            assert [k["status"] for k in ed25519].count("active") == 1
            assert len(ed25519) == ROTATIONS + 1
            published = {vm["id"] for vm in http.get("/orgs/puchot/did.json").json()["verificationMethod"]}
            assert {k["verification_method"] for k in ed25519} <= published
    finally:
        application.state.db.dispose()
