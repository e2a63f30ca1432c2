"""What a report means to a person: one verdict, from the checks, the status and the dates (pure).

``valid`` only when the report is verified (``trust`` confirmed). Otherwise revoked and suspended come first, and a
badge whose proof did not pass is ``invalid``. A genuine badge (its proof passed) whose only failure is its dates is
``expired`` or ``not_yet``, one whose only failure is the recipient is ``recipient``; a failed ``issuer`` check that
only says the key could not be tied to the issuer (:attr:`Report.issuer_unconfirmed`) does not change those. A badge
whose only failure is that is ``unconfirmed``: the signature holds, but its issuer is not confirmed, so it is never
``valid``. Anything else is ``invalid``.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from app.verify.dates import parse_datetime
from app.verify.report import CheckId, Outcome, Report, Status, Trust

__all__ = ["Verdict", "verdict"]


class Verdict(StrEnum):
    VALID = "valid"
    UNCONFIRMED = "unconfirmed"  # the signature holds, but the key cannot be tied to the issuer named
    INVALID = "invalid"
    REVOKED = "revoked"
    SUSPENDED = "suspended"
    EXPIRED = "expired"
    NOT_YET = "not_yet"  # genuine, but its validity has not started
    RECIPIENT = "recipient"  # genuine, but not awarded to the identifier given


def verdict(report: Report, now: datetime | None = None) -> Verdict:
    """The verdict on ``report``, judging its dates at ``now`` (default: when it was checked)."""
    if report.verified:
        return Verdict.VALID
    if report.status == Status.REVOKED:
        return Verdict.REVOKED
    if report.status == Status.SUSPENDED:
        return Verdict.SUSPENDED
    last = {c.id: c.outcome for c in report.checks if c.outcome != Outcome.WARNING}
    failed = {check for check, outcome in last.items() if outcome == Outcome.FAILED}
    if last.get(CheckId.PROOF) != Outcome.PASSED:
        return Verdict.INVALID
    if report.issuer_unconfirmed:
        failed.discard(CheckId.ISSUER)
    moment = now or report.checked_at
    if failed == {CheckId.VALIDITY} and moment is not None:
        expires, issued = parse_datetime(report.expires), parse_datetime(report.issued)
        if expires is not None and expires <= moment:
            return Verdict.EXPIRED
        if issued is not None and issued > moment:
            return Verdict.NOT_YET
    if failed == {CheckId.RECIPIENT}:
        return Verdict.RECIPIENT
    if report.trust == Trust.UNCONFIRMED:
        return Verdict.UNCONFIRMED
    return Verdict.INVALID
