"""The load of bench/load.py, run by locust (``locust -f bench/locustfile.py --headless …``): each simulated client
sends one request a second (``constant_throughput(1)``), so the number of users is the rate. ``LOAD_MODE`` says what:

* ``healthz``: ``GET /healthz`` (the baseline: the framework and the server alone);
* ``verify`` (L1): ``POST /api/v1/verify`` of a credential this service issued (``LOAD_CREDENTIAL``, a file);
* ``hostile`` (L3): the same, with 5 % hostile inputs mixed in (JSON nested 10,000 deep, a credential with its proof
  tampered, a 900 kB string, a JWS whose header is not JSON, a URL to a private address);
* ``awards`` (L2): ``POST /api/v1/achievements/{LOAD_ACHIEVEMENT}/awards`` with ``LOAD_API_KEY``, a new recipient
  each time.
"""

from __future__ import annotations

import itertools
import json
import os
import random
from pathlib import Path

from locust import FastHttpUser, constant_throughput, task

MODE = os.environ.get("LOAD_MODE", "healthz")
CREDENTIAL = json.loads(Path(os.environ["LOAD_CREDENTIAL"]).read_text(encoding="utf-8")) \
    if os.environ.get("LOAD_CREDENTIAL") else None
_COUNTER = itertools.count()


def _hostile() -> tuple[str, dict[str, str], bytes]:
    tampered = json.loads(json.dumps(CREDENTIAL))
    tampered["name"] = "Diplôme d'ingénieur"
    choices = [
        ("application/json", b'{"credential":' + b"[" * 10_000 + b"]" * 10_000 + b"}"),
        ("application/json", json.dumps({"credential": tampered}).encode()),
        ("application/json", json.dumps({"credential": {"name": "x" * 900_000}}).encode()),
        ("text/plain", b"eyJub3QganNvbg.e30.c2ln"),
        ("application/json", json.dumps({"url": "http://10.0.0.1/badge.json"}).encode()),
    ]
    media, body = random.choice(choices)
    return "/api/v1/verify", {"Content-Type": media}, body


class Client(FastHttpUser):  # geventhttpclient: the load tool takes less of the CPUs it shares
    wait_time = constant_throughput(1)

    @task
    def one(self) -> None:
        if MODE == "healthz":
            self.client.get("/healthz", name="healthz")
        elif MODE == "awards":
            number = next(_COUNTER)
            self.client.post(f"/api/v1/achievements/{os.environ['LOAD_ACHIEVEMENT']}/awards", name="award",
                             headers={"Authorization": f"Bearer {os.environ['LOAD_API_KEY']}"},
                             json={"recipient": {"email": f"charge-{os.getpid()}-{number}@exemple.fr"},
                                   "notify": False})
        elif MODE == "hostile" and random.random() < 0.05:
            path, headers, body = _hostile()
            with self.client.post(path, data=body, headers=headers, name="hostile", catch_response=True) as answer:
                if answer.status_code < 500:  # a refusal is the right answer to a hostile input
                    answer.success()
        else:
            self.client.post("/api/v1/verify", json={"credential": CREDENTIAL}, name="verify")
