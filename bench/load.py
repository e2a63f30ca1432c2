"""Issue 18, load: L1, L2 and L3 against a real ``savoirs serve`` (one worker, PostgreSQL), loaded by locust (a load
tool made for it) over the loopback network, at a fixed rate, bounded in time.

The setup, in process: a fresh PostgreSQL database, an organisation, a published badge, one public award and its
signed credential. Then ``savoirs serve`` (one worker, ``VERIFY_RATE_LIMIT`` lifted: one client sends everything) and
four rounds of ``LOAD_SECONDS`` (60 by default; the issue's figures are for 600) each:

1. the baseline: ``GET /healthz`` at 100/s;
2. L1: 100 verifications/s of the credential (``POST /api/v1/verify``); target p99 < 250 ms, 0 errors;
3. L3: L1 with 5 % hostile inputs mixed in; targets p99 < 2 × L1's and the worker's memory (RSS) grown < 10 %;
4. L2: 20 awards/s (``POST …/awards``, a new recipient each); target p99 < 500 ms.

Printed per round: requests, failures (a 5xx, or any non-2xx for valid work; a refusal of a hostile input is not
one), requests per second, median, p95, p99, the worker's RSS before and after; then each p99 as a ratio to the
baseline's, and whether each target was met. No assertion: the numbers are printed. Run: ``make load`` or
``python -m bench.load`` (``LOAD_SECONDS``, ``BENCH_DATABASE_URL``).
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from fastapi.testclient import TestClient

from app.main import create_app
from app.migrate import upgrade
from bench.fixtures import BENCH_ADMIN, bench_settings, free_port, issuer_with_badge, scratch_database, served

ROOT = Path(__file__).resolve().parents[1]
SECONDS = int(os.environ.get("LOAD_SECONDS", "60"))


@dataclass(frozen=True)
class Round:
    name: str
    requests: int
    failures: int
    rate: float
    median: float
    p95: float
    p99: float
    rss_before: int
    rss_after: int


def _rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def _locust(base: str, mode: str, users: int, folder: Path, env: dict[str, str]) -> dict[str, str]:
    prefix = folder / mode
    subprocess.run([sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "locustfile.py"), "--headless",
                    "-u", str(users), "-r", str(users), "-t", f"{SECONDS}s", "--host", base, "--csv", str(prefix),
                    "--only-summary", "--loglevel", "WARNING"], check=False, cwd=ROOT,
                   env={**os.environ, **env, "LOAD_MODE": mode}, stdout=subprocess.DEVNULL, timeout=SECONDS + 120)
    with open(f"{prefix}_stats.csv", encoding="utf-8") as stats:
        return next(row for row in csv.DictReader(stats) if row["Name"] == "Aggregated")


def _round(name: str, base: str, mode: str, users: int, folder: Path, env: dict[str, str], pid: int) -> Round:
    before = _rss_kib(pid)
    row = _locust(base, mode, users, folder, env)
    return Round(name, int(row["Request Count"]), int(row["Failure Count"]), float(row["Requests/s"]),
                 float(row["50%"]), float(row["95%"]), float(row["99%"]), before, _rss_kib(pid))


def _setup(url: str, base: str, var: Path) -> dict[str, str]:
    """An organisation, its badge, one public award: what the rounds need (the credential written to a file)."""
    upgrade(url)
    app = create_app(bench_settings(url, base, var), jobs_in_process=False)
    try:
        with TestClient(app, base_url=base) as client:
            headers, _, badge = issuer_with_badge(client, BENCH_ADMIN)
            award = client.post(f"/api/v1/achievements/{badge}/awards", headers=headers, json={
                "recipient": {"email": "sylvie@exemple.fr", "public": True}, "notify": False}).json()
            credential = client.get(f"/credentials/{award['id']}", headers={"Accept": "application/ld+json"}).json()
    finally:
        app.state.db.dispose()
    (var / "credential.json").write_text(json.dumps(credential), encoding="utf-8")
    return {"LOAD_CREDENTIAL": str(var / "credential.json"), "LOAD_ACHIEVEMENT": badge,
            "LOAD_API_KEY": headers["Authorization"].split(" ", 1)[1]}


def main() -> None:
    with scratch_database("bench_load") as url, tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        base = f"http://127.0.0.1:{free_port()}"
        env = _setup(url, base, folder)
        with served(url, base, folder, workers=1, VERIFY_RATE_LIMIT=str(10**9)) as process:
            rounds = [_round("baseline GET /healthz 100/s", base, "healthz", 100, folder, env, process.pid),
                      _round("L1 verify 100/s", base, "verify", 100, folder, env, process.pid),
                      _round("L3 verify 100/s, 5 % hostile", base, "hostile", 100, folder, env, process.pid),
                      _round("L2 awards 20/s", base, "awards", 20, folder, env, process.pid)]
    print(f"load: {SECONDS} s a round, one worker, PostgreSQL, locust over loopback")
    print(f"{'round':34} {'requests':>8} {'fail':>5} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} "
          f"{'RSS MiB':>15} {'p99/base':>8}")
    baseline = rounds[0].p99 or 1.0
    for r in rounds:
        print(f"{r.name:34} {r.requests:>8} {r.failures:>5} {r.rate:>7.1f} {r.median:>7.0f} {r.p95:>7.0f} "
              f"{r.p99:>7.0f} {r.rss_before / 1024:>7.0f}→{r.rss_after / 1024:<7.0f} {r.p99 / baseline:>8.1f}")
    l1, l3, l2 = rounds[1], rounds[2], rounds[3]
    growth = (l3.rss_after - l3.rss_before) / max(l3.rss_before, 1)
    print(f"L1 p99 < 250 ms and 0 errors: {'met' if l1.p99 < 250 and l1.failures == 0 else 'NOT met'}")
    print(f"L3 p99 < 2 × L1 and RSS +{growth:.1%} < 10 %: "
          f"{'met' if l3.p99 < 2 * l1.p99 and growth < 0.10 and l3.failures == 0 else 'NOT met'}")
    print(f"L2 p99 < 500 ms and 0 errors: {'met' if l2.p99 < 500 and l2.failures == 0 else 'NOT met'}")


if __name__ == "__main__":
    main()
