"""The two status models (issue 11) as every verifier of this suite reads them, against the live service.

An organisation chooses what its credentials' ``credentialStatus`` carries: ``revocation_only`` (the default: one
``BitstringStatusListEntry`` object, revocation) or ``revocation_and_suspension`` (an ARRAY of two entries at one
index: revocation, and suspension on a twin list). One credential of each model goes through four states, in order
(``PHASES``): issued (active) → suspended → unsuspended → revoked; in each state it is verified by

- Digital Bazaar ``@digitalbazaar/vc`` + ``@digitalbazaar/vc-bitstring-status-list`` (``dbvc``, JSON-LD),
- DCC ``@digitalcredentials/verifier-core`` (``dcc``, JSON-LD),
- the ``jose`` path of ``interop/verify-ob3.mjs`` (VC-JWT RS256; this script reads each status list itself),
- and our own verifier, ``POST /api/v1/verify`` with ``{"credential": …}`` and with ``{"jwt": …}``.

``verify-ob3.mjs`` reports every status entry a verifier read (``statuses``: purpose and bit) and, from them,
``revoked`` / ``suspended`` (``null``: the verifier read no entry of that purpose). Neither library folds a set bit
into its own ``verified`` (that stays the signature/data-model verdict): the bit is reported apart.

What was measured (and is asserted below):

- Every verifier verifies the array form; Digital Bazaar and DCC read BOTH entries (DCC logs ``revocation_status``
  and ``suspension_status``), so a suspension shows in all of them, and lifting it reads as valid again.
- With ``revocation_only`` a suspension is invisible to every verifier that only has the credential, ours
  included: the credential points at no suspension list. (The service's own credential page knows from its
  records; that is not a third-party check.)
- The OB 3.0 JSON Schema (2024-04-03, in ``tests/vectors`` for DCC, ``app/verify/schemas`` for ours) wants
  ``credentialStatus`` to be one object: DCC's informational schema check reports ``/credentialStatus must be
  object`` and our verifier a ``schema`` warning, for the array form only; neither changes the verdict.

The 1EdTech OB 2.0 validator (``openbadges`` 1.1.2, ``test_ob2_validator.py``) has no OB 3.0 support at all (no
VC, ``credentialSubject`` or ``OpenBadgeCredential`` in its code): it is not run here.

The live server is the suite's (``conftest.server``: ``ALLOW_LOOPBACK_FETCH`` is NOT set there); our verifier reads
our own did.json and status lists from the database (``app/services/local_documents.py``), so it needs no loopback
fetch.
"""

from __future__ import annotations

import base64
import json
from typing import Any

import httpx
import pytest

from tests.interop.conftest import ok
from tests.interop.test_ob3_verifiers import Org, _show, _verify

pytestmark = pytest.mark.interop

MODELS = ["revocation_only", "revocation_and_suspension"]
ARRAY = "revocation_and_suspension"
THIRD_PARTY = ["dbvc", "dcc", "jose"]  # dbvc and dcc read the JSON-LD credential, jose its VC-JWT (RS256)
PHASES = ["active", "suspended", "unsuspended", "revoked"]
OURS = ["ours-ld", "ours-jwt"]
SLUGS = {"revocation_only": "status-revocation", "revocation_and_suspension": "status-suspension"}


@pytest.fixture(scope="module")
def orgs(http: httpx.Client) -> dict[str, Org]:
    """One organisation per model: the default one as created, the other switched with ``PATCH /api/v1/org``."""
    made = {model: Org(http, slug) for model, slug in SLUGS.items()}
    assert ok(http.get("/api/v1/org", headers=made["revocation_only"].headers))["status_model"] == "revocation_only"
    changed = ok(http.patch("/api/v1/org", json={"status_model": ARRAY}, headers=made[ARRAY].headers))
    assert changed["status_model"] == ARRAY
    return made


@pytest.fixture(scope="module")
def issued(orgs: dict[str, Org]) -> dict[str, dict[str, Any]]:
    """For each model: the award, its JSON-LD credential and its VC-JWT (RS256, default kid)."""
    out = {}
    for model, org in orgs.items():
        award = org.award(f"{model}@example.fr")
        out[model] = {"award": award, "ld": org.json_ld(award), "jwt": org.jwt(award, "RS256")}
    return out


def _ours(http: httpx.Client, body: dict[str, Any]) -> dict[str, Any]:
    return ok(http.post("/api/v1/verify", json=body))  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def measured(node: str, http: httpx.Client, orgs: dict[str, Org],
             issued: dict[str, dict[str, Any]]) -> dict[str, dict[str, dict[str, Any]]]:
    """``{phase: {"<model>/<verifier>": result}}``: one Node batch and our verifier for each state, in order."""
    actions = {"suspended": "suspend", "unsuspended": "unsuspend", "revoked": "revoke"}
    expected = {"active": "active", "suspended": "suspended", "unsuspended": "active", "revoked": "revoked"}
    results: dict[str, dict[str, dict[str, Any]]] = {}
    for phase in PHASES:
        for model, org in orgs.items():
            if phase in actions:
                body = {"reason": "Erreur de saisie"} if phase == "revoked" else None
                award = ok(org.http.post(f"/api/v1/awards/{issued[model]['award']['id']}/{actions[phase]}",
                                         json=body, headers=org.headers))
                assert award["status"] == expected[phase], award
        jobs = [{"id": f"{model}/{verifier}", "verifier": verifier,
                 "credential": issued[model]["jwt" if verifier == "jose" else "ld"]}
                for model in MODELS for verifier in THIRD_PARTY]
        results[phase] = _verify(node, jobs)
        for model in MODELS:
            results[phase][f"{model}/ours-ld"] = _ours(http, {"credential": issued[model]["ld"]})
            results[phase][f"{model}/ours-jwt"] = _ours(http, {"jwt": issued[model]["jwt"]})
    return results


def _purposes_and_bits(result: dict[str, Any]) -> list[tuple[str, bool | None]]:
    return [(s["statusPurpose"], s["bit"]) for s in result["statuses"]]


def _clean(result: dict[str, Any]) -> None:
    """Verified by the verifier itself, no error, and nothing fetched outside the offline rules."""
    assert result["verified"] is True and result["errors"] == [], _show(result)
    assert not [f for f in result["fetched"] if "refused (offline)" in f], _show(result)


# --- what the service issues -------------------------------------------------------------------------------------
def test_revocation_only_credential_carries_one_status_object(issued: dict[str, dict[str, Any]]) -> None:
    status = issued["revocation_only"]["ld"]["credentialStatus"]
    assert isinstance(status, dict) and status["type"] == "BitstringStatusListEntry", status
    assert status["statusPurpose"] == "revocation", status


def test_revocation_and_suspension_credential_carries_an_array_of_two_entries_at_one_index(
        issued: dict[str, dict[str, Any]]) -> None:
    revocation, suspension = issued[ARRAY]["ld"]["credentialStatus"]
    assert (revocation["statusPurpose"], suspension["statusPurpose"]) == ("revocation", "suspension")
    assert revocation["statusListIndex"] == suspension["statusListIndex"]
    assert revocation["statusListCredential"] != suspension["statusListCredential"]


def test_the_vc_jwt_carries_the_same_status_array(issued: dict[str, dict[str, Any]]) -> None:
    payload = issued[ARRAY]["jwt"].split(".")[1]
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    assert claims["credentialStatus"] == issued[ARRAY]["ld"]["credentialStatus"]


# --- the array form is read at all ---------------------------------------------------------------------------------
@pytest.mark.parametrize("verifier", THIRD_PARTY)
def test_verifier_verifies_a_credential_with_an_array_credential_status(
        measured: dict[str, dict[str, dict[str, Any]]], verifier: str) -> None:
    result = measured["active"][f"{ARRAY}/{verifier}"]
    _clean(result)
    assert result["status"]["checked"] is True, _show(result)


@pytest.mark.parametrize("verifier", THIRD_PARTY)
def test_verifier_reads_both_entries_of_the_array(measured: dict[str, dict[str, dict[str, Any]]],
                                                  verifier: str) -> None:
    """Both lists are read (DCC: ``revocation_status`` and ``suspension_status`` steps in its log)."""
    result = measured["active"][f"{ARRAY}/{verifier}"]
    assert _purposes_and_bits(result) == [("revocation", False), ("suspension", False)], _show(result)
    if verifier == "dcc":
        assert {"revocation_status:true", "suspension_status:true"} <= set(result["checks"]), _show(result)
    if verifier in ("dbvc", "jose"):  # both lists were fetched live
        lists = {e["statusListCredential"] for e in result["statuses"]}
        assert all(any(f.startswith(url + " ") for f in result["fetched"]) for url in lists), _show(result)


@pytest.mark.parametrize("verifier", THIRD_PARTY)
def test_verifier_reads_the_single_object_as_one_revocation_entry(
        measured: dict[str, dict[str, dict[str, Any]]], verifier: str) -> None:
    result = measured["active"][f"revocation_only/{verifier}"]
    _clean(result)
    assert _purposes_and_bits(result) == [("revocation", False)], _show(result)
    assert result["revoked"] is False and result["suspended"] is None, _show(result)


# --- suspension ----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("verifier", THIRD_PARTY)
def test_with_revocation_and_suspension_a_suspended_credential_reads_as_suspended(
        measured: dict[str, dict[str, dict[str, Any]]], verifier: str) -> None:
    result = measured["suspended"][f"{ARRAY}/{verifier}"]
    assert result["suspended"] is True and result["revoked"] is False, _show(result)
    assert _purposes_and_bits(result) == [("revocation", False), ("suspension", True)], _show(result)
    assert result["errors"] == [], _show(result)  # read cleanly: the bit, not a failure to read


def test_dcc_logs_the_suspension_as_a_failed_suspension_status_step(
        measured: dict[str, dict[str, dict[str, Any]]]) -> None:
    result = measured["suspended"][f"{ARRAY}/dcc"]
    assert "suspension_status:false" in result["checks"] and "revocation_status:true" in result["checks"], \
        _show(result)


@pytest.mark.parametrize("verifier", THIRD_PARTY)
def test_verifier_verdict_stays_true_for_a_suspended_credential(
        measured: dict[str, dict[str, dict[str, Any]]], verifier: str) -> None:
    """The libraries' own ``verified`` is the signature/data-model verdict: the suspension is reported apart, in
    the status result (which a wallet or verifier app must read)."""
    result = measured["suspended"][f"{ARRAY}/{verifier}"]
    assert result["verified"] is True, _show(result)


@pytest.mark.parametrize("verifier", THIRD_PARTY)
def test_with_revocation_only_a_suspension_is_invisible_to_the_verifier(
        measured: dict[str, dict[str, dict[str, Any]]], verifier: str) -> None:
    """The award is suspended (the service says so), but the credential points at no suspension list: every
    third-party verifier reads it as active."""
    result = measured["suspended"][f"revocation_only/{verifier}"]
    _clean(result)
    assert result["suspended"] is None and result["revoked"] is False, _show(result)
    assert _purposes_and_bits(result) == [("revocation", False)], _show(result)


# --- unsuspension: valid everywhere again ----------------------------------------------------------------------------
@pytest.mark.parametrize("verifier", THIRD_PARTY)
@pytest.mark.parametrize("model", MODELS)
def test_an_unsuspended_credential_reads_as_valid_again(measured: dict[str, dict[str, dict[str, Any]]],
                                                        model: str, verifier: str) -> None:
    result = measured["unsuspended"][f"{model}/{verifier}"]
    _clean(result)
    assert result["revoked"] is False and result["suspended"] in (False, None), _show(result)
    assert all(bit is False for _, bit in _purposes_and_bits(result)), _show(result)


# --- revocation ----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("verifier", THIRD_PARTY)
@pytest.mark.parametrize("model", MODELS)
def test_a_revoked_credential_reads_as_revoked(measured: dict[str, dict[str, dict[str, Any]]], model: str,
                                               verifier: str) -> None:
    result = measured["revoked"][f"{model}/{verifier}"]
    assert result["revoked"] is True and result["errors"] == [], _show(result)
    expected = [("revocation", True)] + ([("suspension", False)] if model == ARRAY else [])
    assert _purposes_and_bits(result) == expected, _show(result)


# --- our own verifier ------------------------------------------------------------------------------------------------
# what POST /api/v1/verify reports, by model and state; it has only the credential (not the service's records)
OUR_STATUS = {
    ("revocation_only", "active"): "active", ("revocation_only", "suspended"): "active",
    ("revocation_only", "unsuspended"): "active", ("revocation_only", "revoked"): "revoked",
    (ARRAY, "active"): "active", (ARRAY, "suspended"): "suspended",
    (ARRAY, "unsuspended"): "active", (ARRAY, "revoked"): "revoked",
}


@pytest.mark.parametrize("form", OURS)
@pytest.mark.parametrize(("model", "phase"), list(OUR_STATUS))
def test_our_verifier_reads_the_status(measured: dict[str, dict[str, dict[str, Any]]], model: str, phase: str,
                                       form: str) -> None:
    report = measured[phase][f"{model}/{form}"]
    assert report["status"] == OUR_STATUS[model, phase], _show(report)
    assert report["verified"] is (OUR_STATUS[model, phase] == "active"), _show(report)
    (status_check,) = [c for c in report["checks"] if c["id"] == "status"]
    assert status_check["outcome"] == ("passed" if report["verified"] else "failed"), _show(report)


@pytest.mark.parametrize("form", OURS)
def test_our_verifier_read_both_status_lists_of_the_array(measured: dict[str, dict[str, dict[str, Any]]],
                                                          issued: dict[str, dict[str, Any]], form: str) -> None:
    report = measured["active"][f"{ARRAY}/{form}"]
    for entry in issued[ARRAY]["ld"]["credentialStatus"]:
        assert entry["statusListCredential"] in report["fetched"], _show(report)


# --- the OB 3.0 JSON Schema (2024-04-03): credentialStatus is one object -----------------------------------------
def _schema_checks(report: dict[str, Any]) -> list[dict[str, Any]]:
    return [c for c in [*report["checks"], *report["warnings"]] if c["id"] == "schema"]


@pytest.mark.parametrize("form", OURS)
def test_our_schema_check_warns_about_an_array_credential_status(measured: dict[str, dict[str, dict[str, Any]]],
                                                                 form: str) -> None:
    report = measured["active"][f"{ARRAY}/{form}"]
    (schema,) = _schema_checks(report)
    assert schema["outcome"] == "warning" and "credentialStatus" in schema["message_en"], _show(report)
    assert report["verified"] is True, _show(report)  # a warning, not a failure


@pytest.mark.parametrize("form", OURS)
def test_our_schema_check_passes_the_single_status_object(measured: dict[str, dict[str, dict[str, Any]]],
                                                          form: str) -> None:
    report = measured["active"][f"revocation_only/{form}"]
    (schema,) = _schema_checks(report)
    assert schema["outcome"] == "passed", _show(report)


def test_dcc_schema_check_reports_the_array_credential_status_as_not_an_object(
        measured: dict[str, dict[str, dict[str, Any]]]) -> None:
    """Informational in DCC: the credential is still verified."""
    result = measured["active"][f"{ARRAY}/dcc"]
    (schema,) = result["schema"]
    assert schema["valid"] is False and schema["errors"] == ["/credentialStatus must be object"], _show(result)
    assert result["verified"] is True, _show(result)


def test_dcc_schema_check_passes_the_single_status_object(measured: dict[str, dict[str, dict[str, Any]]]) -> None:
    result = measured["active"]["revocation_only/dcc"]
    (schema,) = result["schema"]
    assert schema["valid"] is True and schema["errors"] == [], _show(result)
