"""After a key compromise, every credential is re-signed under a fresh key (one job, ids kept): the independent
verifiers accept the re-signed credentials, no served document carries the withdrawn key, and a copy signed by the
withdrawn key is refused.

The live server (``conftest.py``) runs on SQLite, where jobs run in-process: the test waits for the job to end."""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest

from tests.interop.conftest import ok
from tests.interop.test_ob3_verifiers import LD_VERIFIERS, Org, _b64json, _show, _verify

pytestmark = pytest.mark.interop


def _wait_for(http: httpx.Client, job_url: str, headers: dict[str, str]) -> dict[str, Any]:
    deadline = time.monotonic() + 60
    while True:
        job: dict[str, Any] = ok(http.get(job_url, headers=headers))
        if job["state"] in ("succeeded", "failed") or time.monotonic() > deadline:
            return job
        time.sleep(0.2)


@pytest.fixture(scope="session")
def compromised(node: str, http: httpx.Client) -> dict[str, Any]:
    org = Org(http, "compromis")
    awards = [org.award(f"personne.{i}@example.fr") for i in range(3)]
    before = [org.json_ld(award) for award in awards]
    (withdrawn,) = [k for k in ok(http.get("/api/v1/keys", headers=org.headers))
                    if k["algorithm"] == "Ed25519" and k["status"] == "active"]
    answer = ok(http.post(f"/api/v1/keys/{withdrawn['id']}/compromise", headers=org.headers))
    job = _wait_for(http, answer["job"]["links"]["self"], org.headers)
    after = [org.json_ld(award) for award in awards]
    jwts = [org.jwt(award, "RS256") for award in awards]
    jobs = [{"id": f"{i}/{v}", "verifier": v, "credential": credential}
            for i, credential in enumerate(after) for v in LD_VERIFIERS]
    jobs += [{"id": f"{i}/jose", "verifier": "jose", "credential": token} for i, token in enumerate(jwts)]
    jobs += [{"id": f"old/{v}", "verifier": v, "credential": before[0]} for v in LD_VERIFIERS]
    ours = [ok(http.post("/api/v1/verify", json={"credential": credential})) for credential in after]
    return {"org": org, "withdrawn": withdrawn, "job": job, "before": before, "after": after, "jwts": jwts,
            "results": _verify(node, jobs), "ours": ours}


def test_the_compromise_ran_one_job_over_every_credential(compromised: dict[str, Any]) -> None:
    job = compromised["job"]
    assert job["state"] == "succeeded", job
    assert job["progress_done"] == job["progress_total"] == 3, job


def test_re_signed_credentials_keep_their_ids_under_a_fresh_key(compromised: dict[str, Any]) -> None:
    withdrawn = compromised["withdrawn"]["id"]
    for old, new in zip(compromised["before"], compromised["after"], strict=True):
        assert new["id"] == old["id"]
        proofs = new["proof"] if isinstance(new["proof"], list) else [new["proof"]]
        assert [p for p in proofs if withdrawn in p["verificationMethod"]] == []


@pytest.mark.parametrize("verifier", [*LD_VERIFIERS, "jose"])
def test_every_verifier_accepts_the_re_signed_credentials(compromised: dict[str, Any], verifier: str) -> None:
    for i in range(3):
        result = compromised["results"][f"{i}/{verifier}"]
        assert result["verified"] is True and result["errors"] == [], _show(result)


def test_our_verifier_confirms_the_re_signed_credentials(compromised: dict[str, Any]) -> None:
    assert [(r["verified"], r["trust"]) for r in compromised["ours"]] == [(True, "confirmed")] * 3


def test_no_served_document_carries_the_withdrawn_key(compromised: dict[str, Any], http: httpx.Client) -> None:
    withdrawn = compromised["withdrawn"]["id"]
    did_document = http.get("/orgs/compromis/did.json").text
    jwks = http.get("/orgs/compromis/jwks.json").text
    payloads = [str(_b64json(token.split(".")[1])) for token in compromised["jwts"]]
    assert [withdrawn in text for text in (did_document, jwks, *payloads)] == [False] * 5


@pytest.mark.parametrize("verifier", LD_VERIFIERS)
def test_a_copy_signed_by_the_withdrawn_key_is_refused(compromised: dict[str, Any], verifier: str) -> None:
    result = compromised["results"][f"old/{verifier}"]
    assert result["verified"] is False, _show(result)
