"""Our verifier against the independent Node verifiers (issue 13), in the same sitting, interleaved rounds:
DCC ``@digitalcredentials/verifier-core`` and Digital Bazaar ``@digitalbazaar/vc``, set up as ``interop/`` sets them
up (contexts and schemas from npm packages, every fetch but loopback refused; ``bench/node/verify_peers.mjs``).

A ``savoirs serve`` (SQLite under a temporary directory, ``PUBLIC_BASE_URL=http://localhost:<free port>``) in a
subprocess; one organisation, a published badge with levels, one award, set up in process. Two cases:

1. with status: that award, an OB 3.0 Data Integrity credential (eddsa-rdfc-2022) of a ``did:web`` issuer with a
   ``BitstringStatusListEntry``. The Node verifiers fetch did.json and the signed status list over HTTP from the
   server; ours is timed twice: ``verify_badge`` as the API calls it (our own documents read from the database, the
   default) and the same verification fetching them over loopback HTTP from the server (``app.verify.service.verify``
   with a plain ``SafeFetcher`` allowing loopback: the like-for-like comparison).
2. offline did:key: the same content signed by Digital Bazaar (``interop/sign-ob3.mjs``, eddsa-rdfc-2022) with a
   fresh key whose did:key is the issuer, without status: nothing is fetched by anyone.

Each Node verifier verifies the credential ``N`` times in one process after 5 untimed ones (Node's start and imports
left out); ours likewise in this process. Every verification must be accepted (and read as not revoked): a refusal
stops the benchmark. Prints medians per verification, verifications per second, what each fetched per verification
(they cache differently: DCC keeps a resolved DID 5 s, so in a loop it fetches did.json about once per 5 s and the
status list every time; ours over HTTP fetches both every time) and the ratios ours / DCC and ours / DBVC.
Targets: >= 3x DCC with status, >= 2x DCC offline with did:key.

Needs ``node`` (>= 20) and ``interop/node_modules`` (``bash interop/setup.sh``, run by ``make test``). Run:
``make bench`` or ``python -m bench.verify_peers [--quick] [N]`` (N = 100 verifications per round by default;
``--quick``: one round of 10).
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from app.main import create_app
from app.migrate import upgrade
from app.services.verification import verify_badge
from app.verify.fetch import FetchPolicy, SafeFetcher
from app.verify.report import Report
from app.verify.service import verify
from bench.fixtures import BENCH_ADMIN, bench_settings, credentials, free_port, served

ROOT = Path(__file__).resolve().parents[1]
NODE_SCRIPT = ROOT / "bench" / "node" / "verify_peers.mjs"
SIGN_SCRIPT = ROOT / "interop" / "sign-ob3.mjs"
WARMUP = 5
PEERS = {"dcc": "DCC verifier-core", "dbvc": "Digital Bazaar vc"}


def _node() -> str:
    node = shutil.which("node")
    if node is None:
        raise SystemExit("bench.verify_peers needs node (Node.js >= 20) on PATH.")
    if not (ROOT / "interop" / "node_modules" / ".savoirs-interop-stamp").is_file():
        raise SystemExit("bench.verify_peers needs interop/node_modules: run `bash interop/setup.sh` (or `make "
                         "interop`).")
    return node


def _our_credential(client: TestClient) -> dict[str, Any]:
    """One organisation, one published badge with levels, one award: its stored OB 3.0 credential."""
    org = client.post("/api/v1/orgs", headers={"Authorization": f"Bearer {BENCH_ADMIN}"}, json={
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


def _did_key_credential(node: str) -> dict[str, Any]:
    """A realistic OB 3.0 credential (bench.fixtures), without status, signed by Digital Bazaar with a did:key."""
    template = credentials(1)[0]
    template.pop("credentialStatus", None)
    template.pop("proof", None)
    result = subprocess.run([node, str(SIGN_SCRIPT), "-"], input=json.dumps({"suite": "eddsa-rdfc-2022",
                                                                            "credential": template}),
                            capture_output=True, text=True, cwd=ROOT / "interop", timeout=120, check=False)
    if result.returncode != 0:
        raise SystemExit(f"interop/sign-ob3.mjs failed:\n{result.stderr[-3000:]}")
    signed = json.loads(result.stdout)
    if not signed["self_check"]["verified"]:
        raise SystemExit(f"the did:key credential does not verify with its signer: {signed['self_check']}")
    credential: dict[str, Any] = signed["credential"]
    return credential


def _ours(run: Callable[[], Report], count: int, fetched: int) -> list[float]:
    """Seconds per verification, ``count`` times after the warm-up; each must be accepted, active, and have
    listed ``fetched`` documents."""
    times = []
    for i in range(WARMUP + count):
        start = time.perf_counter()
        report = run()
        elapsed = time.perf_counter() - start
        if not report.verified or report.status.value != "active" or len(report.fetched) != fetched:
            raise SystemExit(f"NOT VERIFIED by ours: {report.as_dict()}")
        if i >= WARMUP:
            times.append(elapsed)
    return times


def _peer(node: str, verifier: str, path: Path, count: int) -> tuple[list[float], str]:
    """Seconds per verification by a Node verifier (one process, ``count`` after the warm-up) and what it fetched
    per verification."""
    result = subprocess.run([node, str(NODE_SCRIPT), verifier, str(count), str(path), str(WARMUP)],
                            capture_output=True, text=True, cwd=ROOT, timeout=1800, check=False)
    if result.returncode != 0:
        raise SystemExit(f"{PEERS[verifier]} failed:\n{result.stderr[-3000:]}")
    output = json.loads(result.stdout)
    return [ms / 1000 for ms in output["ms"]], _fetched(output["fetches"], output["fetched"])


def _fetched(total: float, by_path: dict[str, float]) -> str:
    def name(path: str) -> str:
        return "did.json" if path.endswith("/did.json") else "status list" if path.startswith("/status/") else path

    named: dict[str, float] = {}
    for path, times in by_path.items():
        named[name(path)] = named.get(name(path), 0.0) + times
    return f"{total:.3g}" + (f": {', '.join(f'{k} {v:.3g}' for k, v in sorted(named.items()))}" if named else "")


def _print_case(title: str, times: dict[str, list[float]], fetches: dict[str, str]) -> dict[str, float]:
    medians = {label: statistics.median(values) for label, values in times.items()}
    print(title)
    for label, seconds in medians.items():
        print(f"  {label:<52} {seconds * 1000:7.1f} ms {1 / seconds:7.1f}/s   fetched per verification: "
              f"{fetches[label]}")
    return medians


def main(count: int, rounds: int) -> None:
    node = _node()
    with tempfile.TemporaryDirectory() as tmp:
        var = Path(tmp)
        port = free_port()
        base = f"http://localhost:{port}"
        url = f"sqlite:///{var / 'savoirs.db'}"
        upgrade(url)
        settings = bench_settings(url, base, var, verify_rate_limit=10**9)
        assert settings.allow_loopback_fetch is False
        app = create_app(settings)
        with TestClient(app, base_url=base) as client:
            ours = _our_credential(client)
        ctx = app.state.ctx
        did_key = _did_key_credential(node)
        files = {"status": var / "status.json", "did_key": var / "did-key.json"}
        files["status"].write_text(json.dumps(ours), encoding="utf-8")
        files["did_key"].write_text(json.dumps(did_key), encoding="utf-8")
        loopback = FetchPolicy(allow_loopback=True)
        labels = {"local": "ours, our documents read locally (verify_badge)",
                  "http": "ours, did.json and status list over loopback HTTP",
                  "offline": "ours (verify_badge)",
                  "dcc": PEERS["dcc"], "dbvc": PEERS["dbvc"]}
        status: dict[str, list[float]] = {labels[k]: [] for k in ("local", "http", "dcc", "dbvc")}
        offline: dict[str, list[float]] = {labels[k]: [] for k in ("offline", "dcc", "dbvc")}
        fetches = {labels["local"]: "none (2 read locally: did.json 1, status list 1)",
                   labels["http"]: "2: did.json 1, status list 1"}
        offline_fetches = {labels["offline"]: "0"}
        try:
            with served(url, base, var):
                for _ in range(rounds):
                    status[labels["local"]] += _ours(lambda: verify_badge(ctx, settings, credential=ours), count, 2)
                    status[labels["http"]] += _ours(lambda: verify(credential=ours, policy=loopback,
                                                                   now=ctx.clock.now(),
                                                                   fetcher=SafeFetcher(loopback)), count, 2)
                    for verifier in PEERS:
                        times, fetched = _peer(node, verifier, files["status"], count)
                        status[labels[verifier]] += times
                        fetches[labels[verifier]] = fetched
                    offline[labels["offline"]] += _ours(lambda: verify_badge(ctx, settings, credential=did_key),
                                                        count, 0)
                    for verifier in PEERS:
                        times, fetched = _peer(node, verifier, files["did_key"], count)
                        offline[labels[verifier]] += times
                        offline_fetches[labels[verifier]] = fetched
                    print(f"round done: {count} verifications each", flush=True)
        finally:
            ctx.db.dispose()
    print(f"{rounds} round(s) of {count} verifications, medians; PUBLIC_BASE_URL {base}; load average "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    with_status = _print_case("1. OB 3.0 Data Integrity, did:web issuer, BitstringStatusList entry (did.json and the "
                              "list served by savoirs serve):", status, fetches)
    did = _print_case("2. OB 3.0 Data Integrity, did:key issuer (signed by Digital Bazaar), no status, offline:",
                      offline, offline_fetches)
    dcc, dbvc = PEERS["dcc"], PEERS["dbvc"]
    local, http, alone = with_status[labels["local"]], with_status[labels["http"]], did[labels["offline"]]
    print(f"VERIFY PEERS WITH STATUS, ours over loopback HTTP: {with_status[dcc] / http:.2f}x DCC (target >= 3x), "
          f"{with_status[dbvc] / http:.2f}x DBVC; ours reading our documents locally: {with_status[dcc] / local:.2f}x "
          f"DCC, {with_status[dbvc] / local:.2f}x DBVC")
    print(f"VERIFY PEERS OFFLINE did:key: {did[dcc] / alone:.2f}x DCC (target >= 2x), {did[dbvc] / alone:.2f}x DBVC")


if __name__ == "__main__":
    arguments = sys.argv[1:]
    quick = "--quick" in arguments
    numbers = [int(a) for a in arguments if a != "--quick"]
    main(numbers[0] if numbers else 10 if quick else 100, 1 if quick else 3)
