"""The typed report: its JSON shape, the issuer's own suspension, and the one verdict function (all pure)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from app.verify.report import Check, CheckId, Outcome, Report, Status
from app.verify.verdict import Verdict, verdict

NOW = datetime(2026, 12, 1, tzinfo=UTC)


def _report(*checks: tuple[CheckId, Outcome], **fields: Any) -> Report:
    return Report(checks=[Check(c, o, f"{c} en", f"{c} fr") for c, o in checks], **fields)


GENUINE = ((CheckId.FORMAT, Outcome.PASSED), (CheckId.PROOF, Outcome.PASSED), (CheckId.STATUS, Outcome.PASSED))


def test_the_json_shape_has_plain_strings_and_warnings_apart() -> None:
    report = _report(*GENUINE, (CheckId.SCHEMA, Outcome.WARNING), status=Status.ACTIVE, format="ob3-vc-jwt")
    out = json.loads(json.dumps(report.as_dict()))
    assert out == {
        "verified": True, "format": "ob3-vc-jwt", "credential_id": None, "issuer": {}, "achievement": {},
        "recipient": [], "issued": None, "expires": None, "status": "active",
        "checks": [{"id": i, "outcome": "passed", "message_en": f"{i} en", "message_fr": f"{i} fr"}
                   for i in ("format", "proof", "status")],
        "warnings": [{"id": "schema", "outcome": "warning", "message_en": "schema en", "message_fr": "schema fr"}],
        "endorsements": [], "fetched": [],
    }
    assert type(report.as_dict()["status"]) is str and type(report.as_dict()["checks"][0]["id"]) is str


def test_verified_needs_a_passed_proof_and_no_failed_check() -> None:
    assert _report(*GENUINE).verified
    assert not _report((CheckId.FORMAT, Outcome.PASSED)).verified
    assert not _report(*GENUINE, (CheckId.RECIPIENT, Outcome.FAILED)).verified


def test_the_issuers_suspension_replaces_the_status_check() -> None:
    suspended = _report(*GENUINE, status=Status.ACTIVE).with_issuer_suspension()
    assert (suspended.status, suspended.verified) == (Status.SUSPENDED, False)
    assert [(c.id, c.outcome) for c in suspended.checks] == [
        (CheckId.FORMAT, Outcome.PASSED), (CheckId.PROOF, Outcome.PASSED), (CheckId.STATUS, Outcome.FAILED)]


def test_a_revoked_badge_stays_revoked_when_also_suspended() -> None:
    revoked = _report((CheckId.PROOF, Outcome.PASSED), (CheckId.STATUS, Outcome.FAILED), status=Status.REVOKED)
    assert revoked.with_issuer_suspension() is revoked


def test_verdicts() -> None:
    expired = {"expires": "2026-11-30T00:00:00Z", "issued": "2026-01-01T00:00:00Z"}
    assert verdict(_report(*GENUINE), NOW) == Verdict.VALID
    assert verdict(_report(*GENUINE, (CheckId.STATUS, Outcome.FAILED), status=Status.REVOKED), NOW) == Verdict.REVOKED
    assert verdict(_report(*GENUINE, (CheckId.VALIDITY, Outcome.FAILED), **expired), NOW) == Verdict.EXPIRED
    assert verdict(_report(*GENUINE, (CheckId.VALIDITY, Outcome.FAILED), **expired)) == Verdict.INVALID  # no moment
    assert verdict(_report(*GENUINE, (CheckId.RECIPIENT, Outcome.FAILED)), NOW) == Verdict.RECIPIENT
    assert verdict(_report((CheckId.PROOF, Outcome.FAILED), (CheckId.VALIDITY, Outcome.FAILED), **expired),
                   NOW) == Verdict.INVALID
