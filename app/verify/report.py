"""The verification report: one normalised shape for every badge format, each check in French and English.

The verdict is computed from the checks only: ``verified`` is true when no check failed and the proof check
passed. ``trust`` says the same in three states: ``confirmed`` (verified: the signature holds with a key the
issuer's own document publishes), ``unconfirmed`` (the signature holds, with a key the badge names or embeds, but no
document of the issuer lists it: the only failed check is that ``issuer`` check) and ``invalid`` (anything else).
Everything shown about the badge (issuer, achievement, recipient, dates) comes from the signed payload.
:meth:`Report.as_dict` is the JSON the API returns; :mod:`app.verify.verdict` says what a report means to a person.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from typing import Any, Literal, TypedDict

__all__ = ["About", "Achievement", "Check", "CheckDict", "CheckId", "Criteria", "Endorsement", "Outcome", "Party",
           "Recipient", "Report", "Status", "Trust"]


class CheckId(StrEnum):
    """What a check is about, in the order a verification usually runs them."""

    FORMAT = "format"  # the input is a badge in a format we read
    PROOF = "proof"  # the signature (or, for OB 2.0 hosted, the issuer's own copy) holds
    ISSUER = "issuer"  # the signing key belongs to the issuer named in the badge
    CLAIMS = "claims"  # VC-JWT: the JWT claims agree with the credential
    VALIDITY = "validity"  # validity dates
    STATUS = "status"  # revocation / suspension
    SCHEMA = "schema"  # the OB 3.0 JSON Schema (a warning at worst)
    ENDORSEMENT = "endorsement"  # embedded endorsements
    RECIPIENT = "recipient"  # the badge was awarded to the identifier the caller gave


class Outcome(StrEnum):
    PASSED = "passed"
    FAILED = "failed"
    WARNING = "warning"
    SKIPPED = "skipped"


class Status(StrEnum):
    ACTIVE = "active"
    REVOKED = "revoked"
    SUSPENDED = "suspended"
    UNKNOWN = "unknown"
    NOT_CHECKED = "not_checked"


class Trust(StrEnum):
    """What a verification concludes, in three states (``Report.trust``)."""

    CONFIRMED = "confirmed"  # valid, and the signing key is published by the issuer's own document
    UNCONFIRMED = "unconfirmed"  # the signature holds, but with a key no document of the issuer lists
    INVALID = "invalid"  # not valid: tampered, wrong or unobtainable key, revoked, expired, …


class Party(TypedDict, total=False):
    """An issuer (of the badge or of an endorsement), as the signed payload names it."""

    id: str | None
    name: str | None
    url: str | None
    image: str | None


class Criteria(TypedDict):
    narrative: str | None
    url: str | None


class Achievement(TypedDict, total=False):
    id: str | None
    name: str | None
    description: str | None
    image: str | None
    criteria: Criteria
    level: str | None
    narrative: str | None


class Evidence(TypedDict):
    """What the badge cites as proof: a photo, an article, a text."""

    name: str | None
    url: str | None
    narrative: str | None
    description: str | None


class Recipient(TypedDict, total=False):
    """A published recipient identity (``identityType``/``hashed``/``identityHash``) or a subject ``id``."""

    identityType: str | None
    hashed: bool
    identityHash: str | None
    id: str


class CheckDict(TypedDict):
    id: str
    outcome: str
    message_en: str
    message_fr: str


#: what an endorsement endorses: the awarded credential, its achievement, or the issuer's profile
About = Literal["credential", "achievement", "issuer"]


class Endorsement(TypedDict):
    """One endorsement met in a credential: its own verdict and checks (the last says what it is about)."""

    verified: bool
    about: About
    issuer: Party
    comment: str | None
    checks: list[CheckDict]


@dataclass(frozen=True, slots=True)
class Check:
    id: CheckId
    outcome: Outcome
    message_en: str
    message_fr: str

    def as_dict(self) -> CheckDict:
        return {"id": str(self.id), "outcome": str(self.outcome), "message_en": self.message_en,
                "message_fr": self.message_fr}


@dataclass(slots=True)
class Report:
    format: str = "unknown"  # ob3-data-integrity | ob3-vc-jwt | ob2-hosted | ob2-signed | …, "+baked-png|svg"
    checks: list[Check] = field(default_factory=list)
    issuer: Party = field(default_factory=lambda: Party())
    achievement: Achievement = field(default_factory=lambda: Achievement())
    recipient: list[Recipient] = field(default_factory=list)
    issued: str | None = None
    expires: str | None = None
    status: Status = Status.NOT_CHECKED
    endorsements: list[Endorsement] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    fetched: list[str] = field(default_factory=list)
    credential_id: str | None = None
    checked_at: datetime | None = None  # the moment validity dates were judged at (not part of the JSON)
    #: the failed ``issuer`` check means only that the key (with which the signature holds) could not be tied to
    #: the issuer; set by :meth:`unconfirmed` (``trust`` is in the JSON, not this flag)
    issuer_unconfirmed: bool = False
    #: whether a suspension status was read (a suspension entry, or the issuer's own records); a credential that
    #: carries only a revocation entry says nothing about suspension (not part of the JSON)
    suspension_checked: bool = False

    def passed(self, check_id: CheckId, en: str, fr: str) -> None:
        self.checks.append(Check(check_id, Outcome.PASSED, en, fr))

    def failed(self, check_id: CheckId, en: str, fr: str) -> None:
        self.checks.append(Check(check_id, Outcome.FAILED, en, fr))

    def warning(self, check_id: CheckId, en: str, fr: str) -> None:
        self.checks.append(Check(check_id, Outcome.WARNING, en, fr))

    def skipped(self, check_id: CheckId, en: str, fr: str) -> None:
        self.checks.append(Check(check_id, Outcome.SKIPPED, en, fr))

    def unconfirmed(self, en: str, fr: str) -> None:
        """The signature holds, but its key cannot be tied to the issuer: a failed ``issuer`` check saying so."""
        self.issuer_unconfirmed = True
        self.failed(CheckId.ISSUER, en, fr)

    def status_not_looked_up(self) -> None:
        """The ``status`` check of an unconfirmed badge: skipped (only its issuer could say, and it is not known)."""
        self.skipped(CheckId.STATUS, "Not looked up: only the issuer can say whether it withdrew the badge, and the "
                     "issuer is not confirmed.", "Non consulté : seul l'émetteur peut dire s'il a retiré le badge, et "
                     "l'émetteur n'est pas confirmé.")

    def outcome(self, check_id: CheckId) -> Outcome | None:
        """The outcome of the last check with this id (None when it did not run)."""
        return next((c.outcome for c in reversed(self.checks) if c.id == check_id), None)

    @property
    def verified(self) -> bool:
        return self.outcome(CheckId.PROOF) == Outcome.PASSED and not any(
            c.outcome == Outcome.FAILED for c in self.checks)

    @property
    def trust(self) -> Trust:
        """``confirmed`` when verified; ``unconfirmed`` when the proof passed and the only failed check is an
        ``issuer`` check recorded by :meth:`unconfirmed`; ``invalid`` otherwise (revoked, expired, … included)."""
        if self.verified:
            return Trust.CONFIRMED
        failed = [c for c in self.checks if c.outcome == Outcome.FAILED]
        if (self.issuer_unconfirmed and self.outcome(CheckId.PROOF) == Outcome.PASSED and failed
                and self.status not in (Status.REVOKED, Status.SUSPENDED)
                and all(c.id == CheckId.ISSUER for c in failed)):
            return Trust.UNCONFIRMED
        return Trust.INVALID

    def with_issuer_suspension(self) -> Report:
        """This report for a badge its issuer (we) suspended: a failed ``status`` check replaces any other.

        OB 3.0 credentials carry only their revocation entry (the OB 3.0 schema allows one ``credentialStatus``), so
        the suspension of one of our own awards, published in our signed suspension list and in OB 2.0, is added
        from the issuer's own records. A revoked badge stays revoked.
        """
        if self.status == Status.REVOKED:
            return self
        suspended = Check(CheckId.STATUS, Outcome.FAILED, "The issuer has suspended this badge for now.",
                          "L'émetteur a suspendu ce badge pour le moment.")
        checks = [c for c in self.checks if c.id != CheckId.STATUS or c.outcome == Outcome.WARNING]
        return replace(self, status=Status.SUSPENDED, checks=[*checks, suspended], suspension_checked=True)

    def with_issuer_not_suspended(self) -> Report:
        """This report for a badge its issuer (we) has not suspended: an active badge whose credential carries only
        a revocation entry is, from the issuer's own records, not suspended either."""
        if self.status != Status.ACTIVE or self.suspension_checked:
            return self
        active = Check(CheckId.STATUS, Outcome.PASSED, "The badge has not been revoked or suspended.",
                       "Le badge n'a été ni révoqué ni suspendu.")
        checks = [c if c.id != CheckId.STATUS or c.outcome != Outcome.PASSED else active for c in self.checks]
        return replace(self, checks=checks, suspension_checked=True)

    def as_dict(self) -> dict[str, Any]:
        """The report as the API returns it (``warnings`` apart from ``checks``)."""
        return {
            "verified": self.verified,
            "trust": str(self.trust),
            "format": self.format,
            "credential_id": self.credential_id,
            "issuer": self.issuer,
            "achievement": self.achievement,
            "recipient": self.recipient,
            "issued": self.issued,
            "expires": self.expires,
            "status": str(self.status),
            "checks": [c.as_dict() for c in self.checks if c.outcome != Outcome.WARNING],
            "warnings": [c.as_dict() for c in self.checks if c.outcome == Outcome.WARNING],
            "endorsements": self.endorsements,
            "evidence": self.evidence,
            "fetched": self.fetched,
        }
