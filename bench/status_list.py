"""What serving a status list costs (issue 13): ``GET /status/{list}`` with and without ``If-None-Match``, against
``GET /healthz`` (the framework alone) in the same process, alternating rounds.

A temporary SQLite database (the default ``make run`` setup): one organisation, a published badge, one award (so the
list exists). Requests go through the ASGI app in process (TestClient): what is measured is the service's own work
per request, without the network. No assertion: the numbers are printed. Run: ``make bench`` or
``python -m bench.status_list``.
"""

from __future__ import annotations

import base64
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from app.config import Environment, Settings
from app.main import create_app
from app.migrate import upgrade
from bench.fixtures import issuer_with_badge

ADMIN = "bench-admin-token-0123456789"
BASE = "https://badges.example.org"
ROUNDS, REQUESTS = 3, 500


def _rate(call: Callable[[], Any], count: int) -> float:
    start = time.perf_counter()
    for _ in range(count):
        call()
    return count / (time.perf_counter() - start)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        upgrade(url)
        settings = Settings(environment=Environment.test, database_url=url, public_base_url=BASE,
                            kek=base64.b64encode(os.urandom(32)).decode(), admin_token=ADMIN, var_dir=Path(tmp))
        app = create_app(settings, jobs_in_process=False)
        with TestClient(app, base_url=BASE) as client:
            headers, _, badge_id = issuer_with_badge(client, ADMIN)
            award = client.post(f"/api/v1/achievements/{badge_id}/awards", headers=headers,
                                json={"recipient": {"email": "a@b.fr"}}).json()
            path = award["links"]["status_list"].removeprefix(BASE)
            etag = client.get(path).headers["etag"]
            calls = {"GET /healthz (baseline)": lambda: client.get("/healthz"),
                     "GET /status/{list}, 200": lambda: client.get(path),
                     "GET /status/{list}, 304": lambda: client.get(path, headers={"If-None-Match": etag})}
            assert client.get(path, headers={"If-None-Match": etag}).status_code == 304
            rates: dict[str, list[float]] = {label: [] for label in calls}
            for _ in range(ROUNDS):
                for label, call in calls.items():
                    rates[label].append(_rate(call, REQUESTS))
        app.state.ctx.db.dispose()
    best = {label: max(values) for label, values in rates.items()}
    baseline = best["GET /healthz (baseline)"]
    for label, rate in best.items():
        print(f"  {label:<28} {rate:8.0f} requests/s   {rate / baseline:.2f}x the baseline")
    print(f"STATUS LIST 304: {best['GET /status/{list}, 304']:.0f}/s (target >= 3,000/s per worker), "
          f"200: {best['GET /status/{list}, 200']:.0f}/s (target >= 1,500/s)")


if __name__ == "__main__":
    main()
