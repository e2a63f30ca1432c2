"""The service as deployed (issue 13): a real ``savoirs serve`` (uvicorn, ``--workers N``) on PostgreSQL, loaded over
the loopback network by ``wrk`` in another process.

A fresh PostgreSQL database (created here, dropped at the end). Set up in process through the API: one
organisation, a published badge, one award; then, with ``COPY``, ``STORED`` synthetic awards (100,000 by default) in
full status lists, as an organisation that issued for years, and the status list the service issues into taken to
100,000 entries with 1% of them revoked (a list in use for long: what is served, and where new awards go).

1. One worker. ``GET /status/{list}`` answered 200 (the signed list) and 304 (``If-None-Match`` with the ETag of a
   first GET), against ``GET /healthz`` (the framework and the server alone) as the baseline, alternating rounds
   (``wrk``, one thread, 8 connections): requests per second, and the worker's CPU time per request (what one
   worker would serve with a CPU of its own: steadier than the rate on a busy machine). Targets: >= 3,000/s on 304
   and >= 1,500/s on 200 per worker. Then one award of the list is revoked through the API and the list is fetched
   with the old ETag: the first GET must answer 200 with a new ETag and the award's bit set (printed, as are the
   next conditional GETs).
2. ``POST /api/v1/achievements/{id}/awards``, each request to a recipient of its own (``bench/wrk/awards.lua``),
   four clients at once (``wrk``, four connections, a new one for each request: kept-alive connections stay with
   the worker that accepted them, and four of them are often split 3/1 or 4/0 between two workers), against 1
   worker and 2 workers in alternating rounds (a fresh server each round, warmed up for a second): awards per
   second (target >= 80/s) and the 2-worker / 1-worker ratio (target >= 1.6x). Each worker's CPU time during the
   round is printed, to show how the work was shared.

The server logs as deployed (JSON lines, the access log included). Medians over the rounds; no assertion: the
numbers are printed. The workers, PostgreSQL and wrk share the machine's CPUs: the 2-worker ratio means something
on a quiet machine with at least 4 CPUs.

Needs ``wrk`` (Debian/Ubuntu: ``apt-get install wrk``; macOS: ``brew install wrk``). Run: ``make bench`` or
``python -m bench.served [--quick] [STORED]`` (``--quick``: one short round on 2,000 stored awards;
``BENCH_DATABASE_URL`` overrides the PostgreSQL admin URL).
"""

from __future__ import annotations

import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import httpx
from fastapi.testclient import TestClient

from app.badges.bitstring import Bitstring
from app.main import create_app
from app.migrate import upgrade
from bench.fixtures import (
    BENCH_ADMIN,
    bench_settings,
    fill_status_list,
    free_port,
    issuer_with_badge,
    scratch_database,
    served,
    synthetic_awards,
)

AWARDS_LUA = Path(__file__).with_name("wrk") / "awards.lua"
LIST_FILL, REVOKED = 100_000, 0.01


@dataclass(frozen=True)
class Plan:
    rounds: int
    get_seconds: int
    award_seconds: int
    stored: int
    fill: int


FULL = Plan(rounds=3, get_seconds=5, award_seconds=10, stored=100_000, fill=LIST_FILL)
QUICK = Plan(rounds=1, get_seconds=1, award_seconds=2, stored=2_000, fill=2_000)


@dataclass(frozen=True)
class Load:
    rate: float
    requests: int
    failed: int  # non-2xx/3xx answers and socket errors
    p50_ms: float
    cpu_s: float = 0.0  # the worker's CPU seconds per request, when measured
    workers_cpu_s: float = 0.0  # awards: all workers' CPU seconds over the round
    machine_busy: float = float("nan")  # awards: the share of the machine's CPU time in use over the round


def _wrk_binary() -> str:
    binary = shutil.which("wrk")
    if binary is None:
        raise SystemExit("bench.served needs wrk (https://github.com/wg/wrk), not found on PATH. Install it: "
                         "`sudo apt-get install wrk` (Debian/Ubuntu), `brew install wrk` (macOS).")
    return binary


def _ms(text: str) -> float:
    """Milliseconds from a wrk duration (``812.00us``, ``1.20ms``, ``2.01s``)."""
    unit = text.lstrip("0123456789.")
    return float(text.removesuffix(unit)) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[unit]


def _wrk(url: str, seconds: int, *, connections: int, threads: int = 1, headers: tuple[str, ...] = (),
         script: Path | None = None, args: tuple[str, ...] = ()) -> Load:
    command = [_wrk_binary(), f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency"]
    for header in headers:
        command += ["-H", header]
    if script is not None:
        command += ["-s", str(script)]
    command += [url, *(["--", *args] if args else [])]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    total = re.search(r"(\d+) requests in", output)
    p50 = re.search(r"\s50%\s+([\d.]+\w+)", output)
    if rate is None or total is None or p50 is None:
        raise SystemExit(f"unexpected wrk output:\n{output}")
    failed = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", output))
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    if socket_errors:
        failed += sum(int(n) for n in socket_errors.groups())
    return Load(float(rate.group(1)), int(total.group(1)), failed, _ms(p50.group(1)))


def _worker_pids(pid: int) -> list[int]:
    """The uvicorn workers behind ``savoirs serve`` (pid): its spawned children, or itself with one worker."""
    children: list[int] = []
    for entry in Path("/proc").iterdir() if Path("/proc").is_dir() else ():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if int(stat.rpartition(")")[2].split()[1]) == pid and b"spawn_main" in cmdline:
            children.append(int(entry.name))
    return sorted(children) or [pid]


def _cpu_seconds(pids: list[int]) -> list[float]:
    """User + system CPU seconds of each process (Linux ``/proc``; NaN elsewhere)."""
    ticks = os.sysconf("SC_CLK_TCK")
    out = []
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
            out.append((int(fields[11]) + int(fields[12])) / ticks)
        except OSError:
            out.append(float("nan"))
    return out


def _machine_ticks() -> tuple[int, int]:
    """(busy, total) CPU ticks of the whole machine since boot (Linux ``/proc/stat``; zeros elsewhere)."""
    try:
        fields = [int(n) for n in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    except (OSError, ValueError, IndexError):
        return 0, 0
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    return sum(fields) - idle, sum(fields)


def _busy_share(before: tuple[int, int], after: tuple[int, int]) -> float:
    total = after[1] - before[1]
    return (after[0] - before[0]) / total if total > 0 else float("nan")


def _capacity(cpu_s: float) -> float:
    """Requests per second one worker could serve on a CPU of its own (NaN when not measured)."""
    return 1 / cpu_s if cpu_s > 0 else float("nan")


def _setup(url: str, base: str, var: Path, plan: Plan) -> dict[str, Any]:
    upgrade(url)
    app = create_app(bench_settings(url, base, var), jobs_in_process=False)
    ctx = app.state.ctx
    with TestClient(app, base_url=base) as client:
        headers, organisation, badge_id = issuer_with_badge(client, BENCH_ADMIN)
        response = client.post(f"/api/v1/achievements/{badge_id}/awards", headers=headers,
                               json={"recipient": {"email": "premiere@exemple.fr"}})
        response.raise_for_status()
        award = response.json()
        list_path = award["links"]["status_list"].removeprefix(base)
        credential = client.get(f"/credentials/{award['id']}").json()
    start = time.perf_counter()
    synthetic_awards(ctx, url, organisation["id"], badge_id, plan.stored)
    filled = fill_status_list(ctx, url, organisation["id"], badge_id, list_path.rsplit("/", 1)[1], plan.fill,
                              revoked=REVOKED)
    ctx.db.dispose()
    print(f"{plan.stored + filled + 1:,} awards stored: {plan.stored:,} in full lists, {filled + 1:,} in the list "
          f"served and issued into ({time.perf_counter() - start:.0f} s to write the synthetic ones)", flush=True)
    entries = credential["credentialStatus"]
    entry = next(e for e in (entries if isinstance(entries, list) else [entries])
                 if e["statusPurpose"] == "revocation")
    return {"headers": headers, "badge_id": badge_id, "award_id": award["id"], "list_path": list_path,
            "index": int(entry["statusListIndex"])}


def _status_lists(origin: str, pid: int, setup: dict[str, Any], plan: Plan) -> dict[str, list[Load]]:
    """Part 1 on a served instance (one worker, process ``pid``): the loads of each request (with the worker's CPU
    seconds per request), and the revocation check printed."""
    path = setup["list_path"]
    first = httpx.get(origin + path)
    etag = first.headers["etag"]
    assert first.status_code == 200 and httpx.get(origin + path, headers={"If-None-Match": etag}).status_code == 304
    print(f"status list: {len(first.content):,} bytes signed, ETag {etag}", flush=True)
    loads = {"GET /healthz (baseline)": (f"{origin}/healthz", ()),
             "GET /status/{list}, 200": (origin + path, ()),
             "GET /status/{list}, 304": (origin + path, (f"If-None-Match: {etag}",))}
    for url, headers in loads.values():  # warm up
        _wrk(url, 1, connections=8, headers=headers)
    measured: dict[str, list[Load]] = {label: [] for label in loads}
    for _ in range(plan.rounds):
        for label, (url, headers) in loads.items():
            before = _cpu_seconds([pid])[0]
            load = _wrk(url, plan.get_seconds, connections=8, headers=headers)
            cpu = _cpu_seconds([pid])[0] - before
            if load.failed:
                raise SystemExit(f"{label}: {load.failed} of {load.requests} requests failed")
            measured[label].append(Load(load.rate, load.requests, load.failed, load.p50_ms, cpu / load.requests))
    # a revocation is seen by the first GET after it
    revoke = httpx.post(f"{origin}/api/v1/awards/{setup['award_id']}/revoke", headers=setup["headers"])
    after = httpx.get(origin + path, headers={"If-None-Match": etag})
    new_etag = after.headers.get("etag")
    bit = after.status_code == 200 and Bitstring.decode(
        after.json()["credentialSubject"]["encodedList"]).get(setup["index"])
    again = [httpx.get(origin + path, headers={"If-None-Match": new_etag or ""}).status_code for _ in range(20)]
    seen = after.status_code == 200 and new_etag != etag and bit
    print(f"after a revocation (POST .../revoke: {revoke.status_code}): the first GET with the old ETag answered "
          f"{after.status_code}, ETag {etag} -> {new_etag}, the award's bit (index {setup['index']}) "
          f"{'set' if bit else 'NOT set'}; the next 20 GETs with the new ETag: "
          f"{', '.join(f'{again.count(s)} x {s}' for s in sorted(set(again)))}")
    print(f"REVOCATION SEEN BY THE FIRST GET AFTER IT: {'yes' if seen else 'NO'}", flush=True)
    return measured


def _awards(url: str, base: str, var: Path, setup: dict[str, Any], plan: Plan) -> dict[int, list[Load]]:
    """Part 2: rounds of 4 clients against 1 then 2 workers, a fresh server each time."""
    origin = "http://127.0.0.1:" + base.rsplit(":", 1)[1]
    target = f"{origin}/api/v1/achievements/{setup['badge_id']}/awards"
    # a connection per request: with keep-alive, uvicorn's workers keep the connections they accepted, and four of
    # them often end up 3/1 or 4/0 between two workers, which measures the split, not the workers
    headers = (f"Authorization: {setup['headers']['Authorization']}", "Content-Type: application/json",
               "Connection: close")
    loads: dict[int, list[Load]] = {1: [], 2: []}
    for round_number in range(plan.rounds):
        for workers in (1, 2):
            with served(url, base, var, workers=workers) as process:
                _wrk(target, 1, connections=4, threads=4, headers=headers, script=AWARDS_LUA,
                     args=(f"warm{round_number}w{workers}",))
                pids = _worker_pids(process.pid)
                before, machine = _cpu_seconds(pids), _machine_ticks()
                load = _wrk(target, plan.award_seconds, connections=4, threads=4, headers=headers,
                            script=AWARDS_LUA, args=(f"r{round_number}w{workers}",))
                cpu = [b - a for a, b in zip(before, _cpu_seconds(pids), strict=True)]
                load = replace(load, workers_cpu_s=sum(cpu), machine_busy=_busy_share(machine, _machine_ticks()))
            if load.failed:
                raise SystemExit(f"awards, {workers} worker(s): {load.failed} of {load.requests} requests failed")
            loads[workers].append(load)
            print(f"  round {round_number + 1}, {workers} worker(s): {load.rate:6.1f} awards/s, p50 "
                  f"{load.p50_ms:5.1f} ms; CPU s per worker {' / '.join(f'{c:.1f}' for c in cpu)} over "
                  f"{plan.award_seconds} s; machine CPU {load.machine_busy:.0%} busy", flush=True)
    return loads


def main(plan: Plan) -> None:
    _wrk_binary()
    with scratch_database("savoirs_bench_served") as url, tempfile.TemporaryDirectory() as tmp:
        var = Path(tmp)
        port = free_port()
        base = f"http://localhost:{port}"
        setup = _setup(url, base, var, plan)
        with served(url, base, var, workers=1) as process:
            measured = _status_lists(f"http://127.0.0.1:{port}", process.pid, setup, plan)
        loads = _awards(url, base, var, setup, plan)
    print(f"{plan.rounds} round(s), medians; PostgreSQL; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} "
          f"CPUs (shared by the workers, PostgreSQL, wrk)")
    median = {label: statistics.median(load.rate for load in values) for label, values in measured.items()}
    cpu = {label: statistics.median(load.cpu_s for load in values) for label, values in measured.items()}
    baseline = median["GET /healthz (baseline)"]
    for label, rate in median.items():
        print(f"  {label:<28} {rate:8.0f} requests/s   {rate / baseline:.2f}x the baseline; worker CPU "
              f"{cpu[label] * 1e6:5.0f} us/request = {_capacity(cpu[label]):6.0f}/s on a CPU of its own")
    ok, full = "GET /status/{list}, 304", "GET /status/{list}, 200"
    print(f"SERVED STATUS LIST, 1 worker: 304 {median[ok]:.0f}/s ({_capacity(cpu[ok]):.0f}/s by CPU time; target "
          f">= 3,000/s per worker), 200 {median[full]:.0f}/s ({_capacity(cpu[full]):.0f}/s by CPU time; target "
          f">= 1,500/s)")
    one = statistics.median(load.rate for load in loads[1])
    two = statistics.median(load.rate for load in loads[2])
    print(f"SERVED AWARDS, 4 clients: 1 worker {one:.0f} awards/s (target >= 80/s), 2 workers {two:.0f} awards/s; "
          f"2 WORKERS vs 1: {two / one:.2f}x (target >= 1.6x)")
    # what a worker gets done per second of CPU: equal with 1 and 2 workers when nothing serialises them (a lock
    # makes the second worker wait, not work); the ratio above is also bounded by the CPUs the machine has left
    per_cpu = {n: statistics.median(load.requests / load.workers_cpu_s for load in loads[n]) for n in (1, 2)}
    busy = {n: statistics.median(load.machine_busy for load in loads[n]) for n in (1, 2)}
    print(f"SERVED AWARDS PER WORKER CPU-SECOND: 1 worker {per_cpu[1]:.0f}, 2 workers {per_cpu[2]:.0f} "
          f"({per_cpu[2] / per_cpu[1]:.2f}x); machine CPU busy: {busy[1]:.0%} with 1 worker, {busy[2]:.0%} with 2")


def _plan(argv: list[str]) -> Plan:
    plan = QUICK if "--quick" in argv else FULL
    numbers = [a for a in argv if a != "--quick"]
    if numbers:
        plan = Plan(plan.rounds, plan.get_seconds, plan.award_seconds, int(numbers[0]), plan.fill)
    return plan


if __name__ == "__main__":
    main(_plan(sys.argv[1:]))
