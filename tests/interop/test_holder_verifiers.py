"""The holder's side (issue 16) in Digital Bazaar ``@digitalbazaar/vc`` and DCC ``@digitalcredentials/verifier-core``,
against the live service: a credential its holder issued again with their first name (through the pages, with the
printed code) verifies, and so does the copy saved before; after an erasure with the credentials revoked, the copy
its holder saved reads "revoked" (the status-list bit outlives the personal data); with them kept, it verifies."""

from __future__ import annotations

import re
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


def _form(http: httpx.Client, page: str, target: str, **fields: str) -> httpx.Response:
    found = re.search(r'name="csrf" value="([^"]+)"', http.get(page).text)
    assert found, page
    return http.post(target, data={"csrf": found.group(1), "lang": "fr", **fields})


def _named_by_its_holder(org: Org, server: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """An award with a claim code; its holder types the code in the pages and shows their first name: the
    credential before and after."""
    award = _ok(org.http.post(f"/api/v1/achievements/{org.achievement['id']}/awards", headers=org.headers,
                              json={"recipient": {"display_name": "Malik B."}, "level": "J'agis"}), 201)
    with httpx.Client(base_url=server, timeout=30) as browser:
        assert _form(browser, "/recuperer", "/recuperer", code=award["claim_code"]).status_code == 303
        page = f"/mon-espace/badges/{award['id']}"
        before = _ok(browser.get(f"{page}/credential.json"))
        assert _form(browser, page, f"{page}/nom", action="show", name="Malik").status_code == 303
        after = _ok(browser.get(f"{page}/credential.json"))
    assert after["id"] == before["id"] and after["validFrom"] >= before["validFrom"]
    return before, after


@pytest.fixture(scope="module")
def results(http: httpx.Client, server: str, node: str) -> dict[str, dict[str, Any]]:
    org = Org(http, "efface")
    revoked = _saved_then_erased(org, "sylvie@example.org", "revoke")
    kept = _saved_then_erased(org, "nadia@example.org", "keep")
    before, named = _named_by_its_holder(org, server)
    assert [i["identityHash"] for i in named["credentialSubject"]["identifier"]] == ["Malik"]
    jobs = [{"id": f"{v}/revoked", "verifier": v, "credential": revoked} for v in LD_VERIFIERS]
    jobs += [{"id": f"{v}/kept", "verifier": v, "credential": kept} for v in LD_VERIFIERS]
    jobs += [{"id": f"{v}/named", "verifier": v, "credential": named} for v in LD_VERIFIERS]
    jobs += [{"id": f"{v}/before", "verifier": v, "credential": before} for v in LD_VERIFIERS]
    return _verify(node, jobs)


@pytest.mark.parametrize("verifier", LD_VERIFIERS)
@pytest.mark.parametrize("copy", ["named", "before"])
def test_a_credential_issued_again_with_its_holder_s_name_verifies(results: dict[str, dict[str, Any]], verifier: str,
                                                                   copy: str) -> None:
    result = results[f"{verifier}/{copy}"]
    assert result["verified"] is True and result["revoked"] is False, _show(result)


@pytest.mark.parametrize("verifier", LD_VERIFIERS)
def test_an_erased_and_revoked_credential_reads_revoked(results: dict[str, dict[str, Any]], verifier: str) -> None:
    result = results[f"{verifier}/revoked"]
    assert result["revoked"] is True, _show(result)


@pytest.mark.parametrize("verifier", LD_VERIFIERS)
def test_an_erased_but_kept_credential_still_verifies(results: dict[str, dict[str, Any]], verifier: str) -> None:
    result = results[f"{verifier}/kept"]
    assert result["verified"] is True and result["revoked"] is False, _show(result)
