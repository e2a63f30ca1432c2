"""What an endorsement is about, as its endorser sees it and as its credential names it."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from app.errors import Conflict
from app.models import Achievement, Award, Organisation
from app.services import achievements, awards, organisations
from app.urls import PublicUrls

__all__ = ["Subject", "name_published", "subject_of"]


@dataclass(frozen=True, slots=True)
class Subject:
    kind: str  # organisation | achievement | award
    id: str
    url: str  # the endorsed object's id, exactly as its documents state it
    name: str
    org_id: str
    org_name: str
    description: str | None = None


def _organisation(org: Organisation, urls: PublicUrls) -> Subject:
    return Subject("organisation", org.id, urls.did(org.slug), org.name, org.id, org.name, org.description)


def _achievement(row: Achievement, org: Organisation, urls: PublicUrls) -> Subject:
    if row.state != "published":
        raise Conflict("Only a published achievement can be endorsed.", "Seul un badge publié peut être recommandé.",
                       code="achievement_not_published")
    return Subject("achievement", row.id, urls.achievement(row.id), row.name, org.id, org.name, row.description)


def _award(row: Award, org: Organisation, session: Session, urls: PublicUrls) -> Subject:
    if row.status != "active":
        raise Conflict("Only an active award can be endorsed (this one is suspended or revoked).",
                       "Seul un badge décerné actif peut être recommandé (celui-ci est suspendu ou révoqué).",
                       code="award_not_active")
    achievement = session.get_one(Achievement, row.achievement_id)
    holder = f" — {row.display_name}" if row.display_name and name_published(row) else ""
    return Subject("award", row.id, urls.credential(row.id), f"{achievement.name}{holder}", org.id, org.name,
                   achievement.description)


def name_published(row: Award) -> bool:
    """Whether the award's credential publishes its holder's name."""
    subject = row.credential.get("credentialSubject", {})
    return any(i.get("identityType") == "name" for i in subject.get("identifier", []) if isinstance(i, dict))


def subject_of(session: Session, urls: PublicUrls, org_id: str, kind: str, subject_id: str | None) -> Subject:
    """The object ``kind``/``subject_id`` of the organisation ``org_id``, endorsable now.

    :raises NotFound: it is not that organisation's.
    :raises Conflict: it cannot be endorsed (a draft achievement, a revoked award).
    """
    org = organisations.get_by_id(session, org_id)
    if kind == "organisation":
        return _organisation(org, urls)
    if kind == "achievement":
        return _achievement(achievements.get_owned(session, org_id, subject_id or ""), org, urls)
    return _award(awards.get_owned(session, org_id, subject_id or ""), org, session, urls)
