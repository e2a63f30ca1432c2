"""What the recognition use cases share: an organisation's rules, the private links, the views of a request."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.errors import NotFound
from app.models import Achievement, BadgeRequest, CommitteeMember, CommitteeVote, RecognitionSettings, RequestEvidence
from app.schemas.recognition import EvidenceOut, RequestOut, RequestReview, VoteOut
from app.services.keys import KeyVault
from app.services.recognition.rules import Rule, threshold
from app.signin.tokens import sha256_hex
from app.text_normal import fold
from app.urls import PublicUrls

__all__ = ["EvidenceFile", "digest", "evidence_file_of", "evidence_of", "find_level", "follow_url", "needed_votes",
           "private_link", "purge_date", "request_out", "request_review", "rule_of", "settings_of", "votes_of"]


def settings_of(session: Session, org_id: str) -> RecognitionSettings:
    """The organisation's rules (its defaults while it has changed none; not added to the session)."""
    return session.get(RecognitionSettings, org_id) or RecognitionSettings(
        org_id=org_id, requests_open=True, rule="count", acceptances=2, evidence_retention_days=90)


def rule_of(settings: RecognitionSettings) -> Rule:
    return Rule("majority" if settings.rule == "majority" else "count", settings.acceptances)


def active_members(session: Session, org_id: str) -> int:
    return session.scalar(select(func.count()).select_from(CommitteeMember)
                          .where(CommitteeMember.org_id == org_id, CommitteeMember.active.is_(True))) or 0


def private_link(vault: KeyVault, kind: str, object_id: str) -> tuple[str, str]:
    """The token of an object's private link (:meth:`KeyVault.private_link`) and the digest stored in its place."""
    token = vault.private_link(kind, object_id)
    return token, digest(token)


#: a private link's token as stored: the sign-in module's digest of a random secret
digest = sha256_hex


@dataclass(frozen=True, slots=True)
class EvidenceFile:
    """An evidence file as it is served: its bytes, media type and the name it is downloaded under."""

    data: bytes
    media_type: str
    filename: str


_EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "application/pdf": "pdf"}


def evidence_file_of(row: RequestEvidence) -> EvidenceFile:
    return EvidenceFile(row.content, row.media_type, f"preuve-{row.id}.{_EXTENSIONS.get(row.media_type, 'txt')}")


def follow_url(urls: PublicUrls, token: str) -> str:
    return f"{urls.base}/suivi/{token}"


def purge_date(settings: RecognitionSettings, now: datetime) -> datetime:
    return now + timedelta(days=settings.evidence_retention_days)


def find_level(achievement: Achievement, typed: str | None) -> str | None:
    """The key of the level ``typed`` (its key, or its name as people type it), or None: none was asked, or the
    badge has no such level (the caller tells the two apart)."""
    if typed is None:
        return None
    for level in achievement.levels:
        if typed == level["key"] or fold(typed) == fold(level["name"]):
            return str(level["key"])
    return None


def evidence_of(session: Session, request_id: str) -> list[RequestEvidence]:
    return list(session.scalars(select(RequestEvidence).where(RequestEvidence.request_id == request_id)
                                .order_by(RequestEvidence.created_at, RequestEvidence.id)))


def votes_of(session: Session, kind: str, subject_id: str) -> list[tuple[CommitteeVote, CommitteeMember]]:
    return [(vote, member) for vote, member in session.execute(
        select(CommitteeVote, CommitteeMember).join(CommitteeMember, CommitteeMember.id == CommitteeVote.member_id)
        .where(CommitteeVote.subject_kind == kind, CommitteeVote.subject_id == subject_id)
        .order_by(CommitteeVote.round, CommitteeVote.created_at, CommitteeVote.id))]


def _evidence_out(rows: list[RequestEvidence]) -> list[EvidenceOut]:
    return [EvidenceOut(id=e.id, kind=e.kind, media_type=e.media_type, sha256=e.sha256, size=e.size, width=e.width,
                        height=e.height, round=e.round) for e in rows]


def _achievement(session: Session, row: BadgeRequest) -> Achievement:
    achievement = session.get(Achievement, row.achievement_id)
    if achievement is None:  # pragma: no cover - a foreign key keeps it
        raise NotFound("No such badge.", "Badge introuvable.")
    return achievement


def _level_name(achievement: Achievement, key: str | None) -> str | None:
    return next((str(lvl["name"]) for lvl in achievement.levels if lvl["key"] == key), key)


def request_out(session: Session, urls: PublicUrls, row: BadgeRequest) -> RequestOut:
    """The request as the resident sees it on their private link."""
    achievement = _achievement(session, row)
    accepted = row.state == "accepted" and row.award_id is not None
    return RequestOut(id=row.id, achievement_id=row.achievement_id, achievement_name=achievement.name,
                      level=_level_name(achievement, row.level), kind=row.kind, state=row.state, round=row.round,
                      question=row.question, reason=row.reason, publish_evidence=row.publish_evidence,
                      evidence=_evidence_out(evidence_of(session, row.id)), created_at=row.created_at,
                      updated_at=row.updated_at, credential_url=urls.credential(row.award_id) if accepted and
                      row.award_id else None,
                      claim_code=", ".join(c["code"] for c in row.claim_codes) if accepted and row.claim_codes
                      else None)


def needed_votes(session: Session, org_id: str) -> int:
    """How many votes of one choice decide, under the organisation's rule and its committee today."""
    return threshold(rule_of(settings_of(session, org_id)), active_members(session, org_id))


def request_review(session: Session, row: BadgeRequest, needed: int | None = None) -> RequestReview:
    """The request as the committee reviews it: what the resident wrote, the evidence, every vote so far
    (``needed``: :func:`needed_votes`, when the caller already has it)."""
    achievement = _achievement(session, row)
    return RequestReview(
        id=row.id, achievement_id=row.achievement_id, achievement_name=achievement.name,
        level=_level_name(achievement, row.level), kind=row.kind, state=row.state, round=row.round,
        name=row.requester_name, contact_kind=row.contact_kind, narrative=row.narrative,
        publish_evidence=row.publish_evidence, publish_name=row.publish_name, group_name=row.group_name,
        members=[str(m.get("name", "")) for m in row.members], question=row.question, reason=row.reason,
        evidence=_evidence_out(evidence_of(session, row.id)),
        votes=[VoteOut(member_id=member.id, member_name=member.name, round=vote.round, choice=vote.choice,
                       comment=vote.comment, created_at=vote.created_at)
               for vote, member in votes_of(session, "request", row.id)],
        needed=needed_votes(session, row.org_id) if needed is None else needed, award_id=row.award_id,
        created_at=row.created_at)
