"""Verifying one of our own credentials (OB 3.0 Data Integrity, with its status list), in process, with the defaults.

The service is the one ``make run`` starts (SQLite under a temporary directory, ``ALLOW_LOOPBACK_FETCH`` off),
served at ``http://localhost:<free port>`` (its ``PUBLIC_BASE_URL``). One organisation, one published badge, one
award; then, in the same sitting and alternating rounds:

- local: ``verify_badge`` as the API, the pages and ``savoirs verify`` call it: did.json and the status list are
  read from the database (``LocalDocuments``), no connection is made;
- baseline: the same verification with the local source disabled and loopback fetches allowed
  (``app.verify.service.verify`` with a plain ``SafeFetcher``), fetching did.json and the status list over HTTP
  from the same app served by uvicorn in this process, as before issue 11 (only possible with
  ``ALLOW_LOOPBACK_FETCH=true``).

Prints the median per verification of each and their ratio; the issue's target is under 50 ms per verification.
Run: ``make bench`` or ``python -m bench.verify_own [N]``.
"""

from __future__ import annotations

import base64
import os
import socket
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import uvicorn
from fastapi.testclient import TestClient

from app.config import Environment, Settings
from app.main import create_app
from app.migrate import upgrade
from app.services.verification import verify_badge
from app.verify.fetch import FetchPolicy, SafeFetcher
from app.verify.report import Report
from app.verify.service import verify

ADMIN = "bench-admin-token-0123456789"
ROUNDS = 3


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _credential(client: TestClient) -> dict[str, Any]:
    """One organisation, one published badge with levels, one award: its stored OB 3.0 credential."""
    org = client.post("/api/v1/orgs", headers={"Authorization": f"Bearer {ADMIN}"}, json={
        "slug": "puchot", "name": "Centre social du Puchot", "url": "https://puchot.example",
        "email": "contact@puchot.example"})
    auth = {"Authorization": f"Bearer {org.json()['api_key']['token']}"}
    badge = client.post("/api/v1/achievements", headers=auth, json={
        "name": "Place aux jeunes", "description": "S'impliquer dans la vie du quartier.",
        "criteria": {"narrative": "A participé à trois actions."},
        "levels": [{"name": "Je soutiens"}, {"name": "J'explore"}, {"name": "J'agis"}]}).json()
    client.post(f"/api/v1/achievements/{badge['id']}/publish", headers=auth).raise_for_status()
    award = client.post(f"/api/v1/achievements/{badge['id']}/awards", headers=auth, json={
        "recipient": {"email": "sylvie@exemple.fr"}, "level": "J'agis"})
    award.raise_for_status()
    credential: dict[str, Any] = client.get(f"/credentials/{award.json()['id']}").json()
    return credential


def _timed(run: Callable[[], Report], count: int) -> list[float]:
    times = []
    for _ in range(count):
        start = time.perf_counter()
        report = run()
        times.append(time.perf_counter() - start)
        if not report.verified or report.status.value != "active" or len(report.fetched) != 2:
            raise SystemExit(f"NOT VERIFIED: {report.as_dict()}")
    return times


def main(count: int = 200) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        port = _free_port()
        base = f"http://localhost:{port}"
        url = f"sqlite:///{Path(tmp) / 'savoirs.db'}"
        upgrade(url)
        settings = Settings(environment=Environment.test, database_url=url, public_base_url=base,
                            kek=base64.b64encode(os.urandom(32)).decode(), admin_token=ADMIN, var_dir=Path(tmp),
                            verify_rate_limit=10**9)
        assert settings.allow_loopback_fetch is False
        app = create_app(settings)
        with TestClient(app, base_url=base) as client:
            credential = _credential(client)
        ctx = app.state.ctx
        server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None, access_log=False))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        while not server.started:
            time.sleep(0.05)
        loopback = FetchPolicy(allow_loopback=True)

        def local() -> Report:
            return verify_badge(ctx, settings, credential=credential)

        def over_http() -> Report:
            return verify(credential=credential, policy=loopback, now=ctx.clock.now(), fetcher=SafeFetcher(loopback))

        try:
            _timed(local, 5)  # warm up both paths (imports, schema, status list signature cache)
            _timed(over_http, 5)
            times: dict[str, list[float]] = {"local": [], "http": []}
            for _ in range(ROUNDS):
                times["local"] += _timed(local, count)
                times["http"] += _timed(over_http, count)
        finally:
            server.should_exit = True
            thread.join(timeout=10)
            ctx.db.dispose()
    ms = {k: statistics.median(v) * 1000 for k, v in times.items()}
    print(f"one OB 3.0 Data Integrity credential with its status list, {ROUNDS} rounds of {count}, medians; "
          f"SQLite, PUBLIC_BASE_URL {base}; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(f"baseline, loopback HTTP to the same app served by uvicorn:  {ms['http']:.1f} ms per verification")
    print(f"our documents read from the database (default settings):    {ms['local']:.1f} ms per verification")
    print(f"VERIFY-OWN RATIO vs loopback HTTP: {ms['http'] / ms['local']:.2f}x; target < 50 ms per verification: "
          f"{'met' if ms['local'] < 50 else 'NOT met'}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
