"""Open Badges 3.0 documents (VC Data Model 2.0): achievements and OpenBadgeCredentials, as plain JSON.

Rules that verifiers enforce live here, once: ``type`` is always an array, ``issuer`` is a Profile object,
``credentialStatus`` is one object (or two entries, revocation and suspension, when the issuer chose so), dates are
UTC with a ``Z``, every property is one the bundled contexts define (the v2 context has no ``@vocab``), empty values
are omitted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

__all__ = [
    "OB3_CONTEXT",
    "AchievementDoc",
    "AwardDoc",
    "Level",
    "achievement_document",
    "build_credential",
    "iso",
    "level_id",
    "levels_id",
]

OB3_CONTEXT = ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]


def iso(moment: datetime) -> str:
    """``2026-11-24T10:00:00Z``: UTC, second precision, with a time zone as verifiers require.

    :raises ValueError: for a naive datetime.
    """
    if moment.tzinfo is None:
        raise ValueError("naive datetime: credentials need a time zone")
    return _utc_text(moment)


@lru_cache(maxsize=256)  # the credentials of a batch share a few instants (equal instants give the same text)
def _utc_text(moment: datetime) -> str:
    utc = moment.astimezone(UTC)
    return f"{utc.year:04d}-{utc:%m-%dT%H:%M:%S}Z"  # strftime's %Y does not pad years before 1000


@dataclass(frozen=True, slots=True)
class Level:
    """One level of a badge family, e.g. "Je soutiens", "J'explore", "J'agis"."""

    key: str  # stable within the achievement: level-1, level-2, …
    name: str
    description: str | None = None
    criteria: str | None = None


@dataclass(frozen=True, slots=True)
class AchievementDoc:
    id: str  # public URL of this achievement version
    name: str
    description: str
    criteria_narrative: str | None = None
    criteria_url: str | None = None
    achievement_type: str = "Badge"
    image: str | None = None
    tags: tuple[str, ...] = ()
    alignments: tuple[dict[str, str], ...] = ()
    language: str = "fr"
    levels: tuple[Level, ...] = ()
    version: int = 1
    creator: dict[str, Any] | None = None
    #: the signed EndorsementCredentials its published document carries (not the copies inside credentials)
    endorsements: tuple[dict[str, Any], ...] = ()


@dataclass(frozen=True, slots=True)
class AwardDoc:
    credential_id: str
    subject_id: str
    valid_from: datetime
    identifiers: tuple[dict[str, Any], ...] = ()
    valid_until: datetime | None = None
    narrative: str | None = None
    evidence: tuple[dict[str, Any], ...] = ()
    level_key: str | None = None
    credential_status: dict[str, Any] | list[dict[str, Any]] | None = None
    extra_evidence: tuple[dict[str, Any], ...] = field(default=())


def levels_id(achievement_id: str) -> str:
    return f"{achievement_id}#levels"


def level_id(achievement_id: str, key: str) -> str:
    return f"{achievement_id}#{key}"


def _criteria(narrative: str | None, url: str | None) -> dict[str, Any]:
    criteria: dict[str, Any] = {}
    if url:
        criteria["id"] = url
    if narrative:
        criteria["narrative"] = narrative
    return criteria


def achievement_document(a: AchievementDoc, *, with_context: bool = False) -> dict[str, Any]:
    """The OB 3.0 ``Achievement`` object (embedded in credentials and served at its own URL)."""
    doc: dict[str, Any] = {"@context": OB3_CONTEXT} if with_context else {}
    doc.update(id=a.id, type=["Achievement"], achievementType=a.achievement_type, name=a.name,
               description=a.description, criteria=_criteria(a.criteria_narrative, a.criteria_url))
    if a.image:
        doc["image"] = {"id": a.image, "type": "Image"}
    if a.creator:
        doc["creator"] = a.creator
    if a.tags:
        doc["tag"] = list(a.tags)
    if a.alignments:
        doc["alignment"] = [{"type": ["Alignment"], **al} for al in a.alignments]
    if a.levels:
        doc["resultDescription"] = [{
            "id": levels_id(a.id),
            "type": ["ResultDescription"],
            "name": "Niveau",
            "resultType": "RubricCriterionLevel",
            "rubricCriterionLevel": [_level(a.id, lvl, i) for i, lvl in enumerate(a.levels, start=1)],
        }]
    doc["inLanguage"] = a.language
    doc["version"] = str(a.version)
    if a.endorsements:
        doc["endorsement"] = list(a.endorsements)
    return doc


def _level(achievement_id: str, lvl: Level, rank: int) -> dict[str, Any]:
    out: dict[str, Any] = {"id": level_id(achievement_id, lvl.key), "type": ["RubricCriterionLevel"],
                           "name": lvl.name, "level": str(rank)}
    text = "\n\n".join(p for p in (lvl.description, lvl.criteria) if p)
    if text:
        out["description"] = text
    return out


def build_credential(issuer: dict[str, Any], achievement: AchievementDoc, award: AwardDoc, *,
                     achievement_json: dict[str, Any] | None = None) -> dict[str, Any]:
    """An unsigned ``OpenBadgeCredential``. ``issuer`` is the OB 3.0 Profile (see ``badges.issuer``).

    :param achievement_json: ``achievement_document(achievement)`` when the caller already built it (many
        credentials of one achievement share it; it is not copied, so it must not be mutated).
    """
    subject: dict[str, Any] = {"id": award.subject_id, "type": ["AchievementSubject"]}
    if award.identifiers:
        subject["identifier"] = list(award.identifiers)
    subject["achievement"] = achievement_json if achievement_json is not None else achievement_document(achievement)
    if award.narrative:
        subject["narrative"] = award.narrative
    if award.level_key:
        subject["result"] = [{
            "type": ["Result"],
            "resultDescription": levels_id(achievement.id),
            "achievedLevel": level_id(achievement.id, award.level_key),
        }]
    credential: dict[str, Any] = {
        "@context": OB3_CONTEXT,
        "id": award.credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": achievement.name,
        "issuer": issuer,
        "validFrom": (valid_from := iso(award.valid_from)),
    }
    if award.valid_until is not None:
        credential["validUntil"] = iso(award.valid_until)
    credential["awardedDate"] = valid_from
    credential["credentialSubject"] = subject
    evidence = [{"type": ["Evidence"], **e} for e in (*award.evidence, *award.extra_evidence)]
    if evidence:
        credential["evidence"] = evidence
    if award.credential_status:
        credential["credentialStatus"] = award.credential_status
    return credential
