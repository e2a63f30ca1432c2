"""After an erasure with the credentials revoked (issue 16), the credential its holder saved before still reads
"revoked" in Digital Bazaar ``@digitalbazaar/vc`` and DCC ``@digitalcredentials/verifier-core``, against the live
service: the status-list bit outlives the personal data; with the credentials kept, it still verifies."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.interop.conftest import ok as _ok
from tests.interop.test_ob3_verifiers import LD_VERIFIERS, Org, _show, _verify

pytestmark = pytest.mark.interop


def _saved_then_erased(org: Org, email: str, credentials: str) -> dict[str, Any]:
    """An award to ``email``, its credential saved (as its holder would), then the resident erased."""
    award = _ok(org.http.post(f"/api/v1/achievements/{org.achievement['id']}/awards", headers=org.headers,
                              json={"recipient": {"email": email, "display_name": "Sylvie", "publish_name": True,
                                                  "public": True}, "level": "J'agis"}), 201)
    saved: dict[str, Any] = org.json_ld(award)
    erased = _ok(org.http.post("/api/v1/residents/erase", headers=org.headers,
                               json={"email": email, "credentials": credentials}))
    assert erased["awards"] == 1
    return saved


@pytest.fixture(scope="module")
def results(http: httpx.Client, node: str) -> dict[str, dict[str, Any]]:
    org = Org(http, "efface")
    revoked = _saved_then_erased(org, "sylvie@example.org", "revoke")
    kept = _saved_then_erased(org, "nadia@example.org", "keep")
    jobs = [{"id": f"{v}/revoked", "verifier": v, "credential": revoked} for v in LD_VERIFIERS]
    jobs += [{"id": f"{v}/kept", "verifier": v, "credential": kept} for v in LD_VERIFIERS]
    return _verify(node, jobs)


@pytest.mark.parametrize("verifier", LD_VERIFIERS)
def test_an_erased_and_revoked_credential_reads_revoked(results: dict[str, dict[str, Any]], verifier: str) -> None:
    result = results[f"{verifier}/revoked"]
    assert result["revoked"] is True, _show(result)


@pytest.mark.parametrize("verifier", LD_VERIFIERS)
def test_an_erased_but_kept_credential_still_verifies(results: dict[str, dict[str, Any]], verifier: str) -> None:
    result = results[f"{verifier}/kept"]
    assert result["verified"] is True and result["revoked"] is False, _show(result)
