"""The verification report: one normalised shape for every badge format, each check in French and English.

The verdict is computed from the checks only: ``verified`` is true when no check failed and the proof check
passed. Everything shown about the badge (issuer, achievement, recipient, dates) comes from the signed payload.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = ["Check", "Outcome", "Report"]

Outcome = Literal["passed", "failed", "warning", "skipped"]
Status = Literal["active", "revoked", "suspended", "unknown", "not_checked"]


@dataclass(frozen=True, slots=True)
class Check:
    id: str  # format | proof | issuer | validity | status | hosted_scope | schema | recipient | endorsement
    outcome: Outcome
    message_en: str
    message_fr: str

    def as_dict(self) -> dict[str, str]:
        return {"id": self.id, "outcome": self.outcome, "message_en": self.message_en, "message_fr": self.message_fr}


@dataclass(slots=True)
class Report:
    format: str = "unknown"  # ob3-data-integrity | ob3-vc-jwt | ob2-hosted | ob2-signed | …, "+baked-png|svg"
    checks: list[Check] = field(default_factory=list)
    issuer: dict[str, Any] = field(default_factory=dict)
    achievement: dict[str, Any] = field(default_factory=dict)
    recipient: list[dict[str, Any]] = field(default_factory=list)
    issued: str | None = None
    expires: str | None = None
    status: Status = "not_checked"
    endorsements: list[dict[str, Any]] = field(default_factory=list)
    fetched: list[str] = field(default_factory=list)
    credential_id: str | None = None

    def passed(self, check_id: str, en: str, fr: str) -> None:
        self.checks.append(Check(check_id, "passed", en, fr))

    def failed(self, check_id: str, en: str, fr: str) -> None:
        self.checks.append(Check(check_id, "failed", en, fr))

    def warning(self, check_id: str, en: str, fr: str) -> None:
        self.checks.append(Check(check_id, "warning", en, fr))

    def skipped(self, check_id: str, en: str, fr: str) -> None:
        self.checks.append(Check(check_id, "skipped", en, fr))

    def outcome(self, check_id: str) -> Outcome | None:
        """The outcome of the last check with this id (None when it did not run)."""
        return next((c.outcome for c in reversed(self.checks) if c.id == check_id), None)

    @property
    def verified(self) -> bool:
        return self.outcome("proof") == "passed" and not any(c.outcome == "failed" for c in self.checks)

    def as_dict(self) -> dict[str, Any]:
        return {
            "verified": self.verified,
            "format": self.format,
            "credential_id": self.credential_id,
            "issuer": self.issuer,
            "achievement": self.achievement,
            "recipient": self.recipient,
            "issued": self.issued,
            "expires": self.expires,
            "status": self.status,
            "checks": [c.as_dict() for c in self.checks if c.outcome != "warning"],
            "warnings": [c.as_dict() for c in self.checks if c.outcome == "warning"],
            "endorsements": self.endorsements,
            "fetched": self.fetched,
        }
