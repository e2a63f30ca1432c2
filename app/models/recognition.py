"""The recognition process: residents request badges with evidence, a steering committee reviews and votes, members
propose new badges.

Personal data lives in a few named columns (a request's or proposal's ``contact`` and ``requester_name``, a member's
``email`` and ``name``, evidence ``content``): erasing a person or purging a closed request clears exactly those.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, UTCDateTime, new_id, utcnow

__all__ = ["BadgeProposal", "BadgeRequest", "CommitteeMember", "CommitteeVote", "RecognitionSettings",
           "RequestEvidence"]


class RecognitionSettings(Base):
    """An organisation's rules for requests and proposals (defaults apply while it has no row)."""

    __tablename__ = "recognition_settings"

    org_id: Mapped[str] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True)
    requests_open: Mapped[bool] = mapped_column(Boolean, default=True)
    #: ``count``: ``acceptances`` acceptances decide; ``majority``: more than half of the active members
    rule: Mapped[str] = mapped_column(String(16), default="count")
    acceptances: Mapped[int] = mapped_column(Integer, default=2)
    evidence_retention_days: Mapped[int] = mapped_column(Integer, default=90)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class CommitteeMember(Base):
    """A member of an organisation's steering committee; signs in with ``email`` (folded)."""

    __tablename__ = "committee_members"
    __table_args__ = (UniqueConstraint("org_id", "email"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    org_id: Mapped[str] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(320))
    language: Mapped[str] = mapped_column(String(8), default="fr")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class BadgeRequest(Base):
    """A resident's request for a published badge (individual, or collective for a named group)."""

    __tablename__ = "badge_requests"
    __table_args__ = (Index("ix_badge_requests_org_state", "org_id", "state"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    org_id: Mapped[str] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    achievement_id: Mapped[str] = mapped_column(ForeignKey("achievements.id"))
    level: Mapped[str | None] = mapped_column(String(64))  # the level's key
    kind: Mapped[str] = mapped_column(String(16), default="individual")  # individual | collective
    requester_name: Mapped[str | None] = mapped_column(String(100))  # a first name or a pseudonym
    contact_kind: Mapped[str] = mapped_column(String(8), default="none")  # email | phone | none
    contact: Mapped[str | None] = mapped_column(String(320))  # normalised; cleared when the request is purged
    language: Mapped[str] = mapped_column(String(8), default="fr")
    narrative: Mapped[str] = mapped_column(Text)  # « ce que j'ai fait »
    publish_evidence: Mapped[bool] = mapped_column(Boolean, default=False)  # consent: evidence in the badge
    publish_name: Mapped[bool] = mapped_column(Boolean, default=False)  # consent: the name in the badge
    group_name: Mapped[str | None] = mapped_column(String(200))
    members: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)  # collective: [{name, email?}]
    #: received → (more_info ↔ received) → accepted | declined; withdrawn by the resident at any open step
    state: Mapped[str] = mapped_column(String(16), default="received")
    round: Mapped[int] = mapped_column(Integer, default=1)  # a new round after each "ask for more"
    question: Mapped[str | None] = mapped_column(Text)  # what the committee asked for
    reason: Mapped[str | None] = mapped_column(Text)  # why it was declined
    follow_sha256: Mapped[str] = mapped_column(String(64), unique=True)  # the private link's token, hashed
    award_id: Mapped[str | None] = mapped_column(ForeignKey("awards.id"))
    #: the claim codes of the awards whose recipient left no contact, [{name, code}]: shown on the private link only
    claim_codes: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    purge_after: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)


class RequestEvidence(Base):
    """One evidence file of a request, as :func:`app.uploads.clean_upload` made it (images re-encoded, no metadata)."""

    __tablename__ = "request_evidence"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    request_id: Mapped[str] = mapped_column(ForeignKey("badge_requests.id", ondelete="CASCADE"), index=True)
    round: Mapped[int] = mapped_column(Integer, default=1)
    kind: Mapped[str] = mapped_column(String(8))  # image | pdf | text
    media_type: Mapped[str] = mapped_column(String(64))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    width: Mapped[int | None] = mapped_column(Integer)
    height: Mapped[int | None] = mapped_column(Integer)
    content: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class BadgeProposal(Base):
    """A badge a member of the community proposes; adopted, it becomes a draft achievement crediting its proposers."""

    __tablename__ = "badge_proposals"
    __table_args__ = (Index("ix_badge_proposals_org_state", "org_id", "state"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    org_id: Mapped[str] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    proposers: Mapped[list[str]] = mapped_column(JSON, default=list)  # names as they want to be credited
    contact: Mapped[str | None] = mapped_column(String(320))
    language: Mapped[str] = mapped_column(String(8), default="fr")
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    criteria: Mapped[str] = mapped_column(Text)
    levels: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    #: received → (more_info ↔ received) → adopted | declined; withdrawn by the proposers at any open step
    state: Mapped[str] = mapped_column(String(16), default="received")
    round: Mapped[int] = mapped_column(Integer, default=1)
    question: Mapped[str | None] = mapped_column(Text)
    reason: Mapped[str | None] = mapped_column(Text)
    follow_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    achievement_id: Mapped[str | None] = mapped_column(ForeignKey("achievements.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: when its personal fields go (set when it closes: adopted, declined or withdrawn); NULL once purged
    purge_after: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)


class CommitteeVote(Base):
    """One member's vote on a request or a proposal, in one round; a vote is never changed (a new round asks
    again)."""

    __tablename__ = "committee_votes"
    __table_args__ = (UniqueConstraint("subject_kind", "subject_id", "round", "member_id"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    org_id: Mapped[str] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    subject_kind: Mapped[str] = mapped_column(String(16))  # request | proposal
    subject_id: Mapped[str] = mapped_column(String(32), index=True)
    round: Mapped[int] = mapped_column(Integer)
    member_id: Mapped[str] = mapped_column(ForeignKey("committee_members.id", ondelete="CASCADE"))
    choice: Mapped[str] = mapped_column(String(8))  # accept | decline | more
    comment: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
