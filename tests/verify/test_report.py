"""The typed report: its JSON shape, the issuer's own suspension, its three-state ``trust`` and the one verdict
function (all pure)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from app.verify.report import Check, CheckId, Outcome, Report, Status, Trust
from app.verify.verdict import Verdict, verdict

NOW = datetime(2026, 12, 1, tzinfo=UTC)


def _report(*checks: tuple[CheckId, Outcome], **fields: Any) -> Report:
    return Report(checks=[Check(c, o, f"{c} en", f"{c} fr") for c, o in checks], **fields)


GENUINE = ((CheckId.FORMAT, Outcome.PASSED), (CheckId.PROOF, Outcome.PASSED), (CheckId.STATUS, Outcome.PASSED))


def test_the_json_shape_has_plain_strings_and_warnings_apart() -> None:
    report = _report(*GENUINE, (CheckId.SCHEMA, Outcome.WARNING), status=Status.ACTIVE, format="ob3-vc-jwt")
    out = json.loads(json.dumps(report.as_dict()))
    assert out == {
        "verified": True, "trust": "confirmed", "format": "ob3-vc-jwt", "credential_id": None, "issuer": {},
        "achievement": {}, "recipient": [], "issued": None, "expires": None, "status": "active",
        "checks": [{"id": i, "outcome": "passed", "message_en": f"{i} en", "message_fr": f"{i} fr"}
                   for i in ("format", "proof", "status")],
        "warnings": [{"id": "schema", "outcome": "warning", "message_en": "schema en", "message_fr": "schema fr"}],
        "endorsements": [], "evidence": [], "fetched": [],
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


def _unconfirmed(*checks: tuple[CheckId, Outcome], **fields: Any) -> Report:
    """A genuine signature whose key could not be tied to the issuer, with ``checks`` after it."""
    report = _report((CheckId.FORMAT, Outcome.PASSED), (CheckId.PROOF, Outcome.PASSED), **fields)
    report.unconfirmed("The key could not be tied to the issuer.", "La clé n'a pas pu être rattachée à l'émetteur.")
    report.checks.extend(Check(c, o, f"{c} en", f"{c} fr") for c, o in checks)
    return report


def test_trust_has_three_states_and_verified_is_true_only_when_confirmed() -> None:
    assert (_report(*GENUINE).trust, _report(*GENUINE).verified) == (Trust.CONFIRMED, True)
    unconfirmed = _unconfirmed((CheckId.VALIDITY, Outcome.PASSED), (CheckId.STATUS, Outcome.SKIPPED))
    assert (unconfirmed.trust, unconfirmed.verified) == (Trust.UNCONFIRMED, False)
    out = unconfirmed.as_dict()
    assert (out["trust"], out["verified"]) == ("unconfirmed", False) and type(out["trust"]) is str
    assert [c["outcome"] for c in out["checks"] if c["id"] == "issuer"] == ["failed"]
    for invalid in (_report((CheckId.PROOF, Outcome.FAILED)),  # tampered or wrong key
                    _report(*GENUINE, (CheckId.ISSUER, Outcome.FAILED)),  # an issuer failure of another kind
                    _unconfirmed((CheckId.CLAIMS, Outcome.FAILED)),  # unconfirmed, and something else wrong
                    _unconfirmed((CheckId.VALIDITY, Outcome.FAILED)),  # unconfirmed and expired
                    _report(*GENUINE, (CheckId.STATUS, Outcome.FAILED), status=Status.REVOKED)):
        assert (invalid.trust, invalid.verified) == (Trust.INVALID, False), invalid.checks


def test_a_flag_without_a_failed_issuer_check_or_a_passed_proof_is_not_unconfirmed() -> None:
    flagged = _report((CheckId.PROOF, Outcome.FAILED), (CheckId.ISSUER, Outcome.FAILED), issuer_unconfirmed=True)
    assert flagged.trust == Trust.INVALID
    assert _report(*GENUINE, issuer_unconfirmed=True).trust == Trust.CONFIRMED  # nothing failed: verified


def test_unconfirmed_verdict_and_what_still_wins_over_it() -> None:
    expired = {"expires": "2026-11-30T00:00:00Z", "issued": "2026-01-01T00:00:00Z"}
    assert verdict(_unconfirmed((CheckId.VALIDITY, Outcome.PASSED)), NOW) == Verdict.UNCONFIRMED
    assert verdict(_unconfirmed((CheckId.STATUS, Outcome.FAILED), status=Status.REVOKED), NOW) == Verdict.REVOKED
    assert verdict(_unconfirmed((CheckId.STATUS, Outcome.PASSED), status=Status.ACTIVE).with_issuer_suspension(),
                   NOW) == Verdict.SUSPENDED
    assert verdict(_unconfirmed((CheckId.VALIDITY, Outcome.FAILED), **expired), NOW) == Verdict.EXPIRED
    not_yet = {"issued": "2027-01-01T00:00:00Z"}
    assert verdict(_unconfirmed((CheckId.VALIDITY, Outcome.FAILED), **not_yet), NOW) == Verdict.NOT_YET
    assert verdict(_unconfirmed((CheckId.RECIPIENT, Outcome.FAILED)), NOW) == Verdict.RECIPIENT
    assert verdict(_unconfirmed((CheckId.CLAIMS, Outcome.FAILED)), NOW) == Verdict.INVALID
    assert verdict(_unconfirmed((CheckId.VALIDITY, Outcome.FAILED), **expired)) == Verdict.INVALID  # no moment
    assert verdict(_report(*GENUINE, (CheckId.ISSUER, Outcome.FAILED)), NOW) == Verdict.INVALID  # not "unconfirmed"
