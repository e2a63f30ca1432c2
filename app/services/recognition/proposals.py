"""Badges proposed by the community: anyone proposes (name, description, criteria, levels), the committee votes with
the same rule as for requests, and an adopted proposal becomes a draft achievement, crediting its proposers, for
staff to publish. Proposers follow their proposal on a private link, and answer a question of the committee by
changing it (a new round of votes). A closed proposal (adopted, declined, withdrawn) gets its ``purge_after``: what
:mod:`.purge` erases of it, and when."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.badges.identity import normalise_email
from app.errors import Conflict, NotFound
from app.models import BadgeProposal, CommitteeVote
from app.models.base import new_id
from app.schemas.recognition import ProposalIn, ProposalOut, ProposalReceived, VoteIn, VoteOut
from app.services import achievements, audit, organisations
from app.services.context import ServiceContext
from app.services.recognition.common import (
    active_members,
    digest,
    needed_votes,
    private_link,
    purge_date,
    rule_of,
    settings_of,
    votes_of,
)
from app.services.recognition.review import comments, record_vote, tell_the_committee, voting_member
from app.services.recognition.rules import Choice, decision

__all__ = ["follow", "list_proposals", "propose", "read", "revise", "vote", "withdraw"]

_OPEN = ("received", "more_info")


def _fields(proposal: ProposalIn) -> dict[str, Any]:
    return {"name": proposal.name, "description": proposal.description, "criteria": proposal.criteria,
            "levels": [level.model_dump(exclude_none=True) for level in proposal.levels],
            "proposers": list(proposal.proposers)}


def propose(ctx: ServiceContext, slug: str, proposal: ProposalIn) -> ProposalReceived:
    """Record a proposal for the organisation ``slug`` (the form is open or closed with its requests)."""
    proposal_id = new_id()
    token, hashed = private_link(ctx.vault, "proposal", proposal_id)
    now = ctx.clock.now()
    with ctx.db.transaction() as session:
        org = organisations.get_by_slug(session, slug)
        if not settings_of(session, org.id).requests_open:
            raise Conflict("This organisation does not take proposals at the moment.",
                           "Cette organisation ne reçoit pas de propositions en ce moment.", code="requests_closed")
        row = BadgeProposal(id=proposal_id, org_id=org.id,
                            contact=normalise_email(proposal.email) if proposal.email else None,
                            language=proposal.language, state="received", round=1, follow_sha256=hashed,
                            created_at=now, updated_at=now, **_fields(proposal))
        session.add(row)
        session.flush()
        audit.record(session, actor="resident", action="proposal.create", target_type="proposal", target_id=row.id,
                     org_id=org.id)
        tell_the_committee(ctx, session, org.id, "proposal", row.id, badge_name=row.name, again=False,
                           asked_by=[row.contact] if row.contact else [], now=now)
        return ProposalReceived(id=row.id, state=row.state, follow_url=f"{ctx.urls.base}/proposition/{token}",
                                follow_token=token)


def _out(session: Session, row: BadgeProposal, *, with_votes: bool, needed: int | None = None) -> ProposalOut:
    votes = needed = None
    if with_votes:
        votes = [VoteOut(member_id=member.id, member_name=member.name, round=vote.round, choice=vote.choice,
                         comment=vote.comment, created_at=vote.created_at)
                 for vote, member in votes_of(session, "proposal", row.id)]
        needed = needed_votes(session, row.org_id) if needed is None else needed
    return ProposalOut(id=row.id, name=row.name, description=row.description, criteria=row.criteria,
                       levels=list(row.levels), proposers=list(row.proposers), state=row.state, round=row.round,
                       question=row.question, reason=row.reason, achievement_id=row.achievement_id,
                       created_at=row.created_at, updated_at=row.updated_at, votes=votes, needed=needed)


def _by_token(session: Session, token: str) -> BadgeProposal:
    row = session.scalar(select(BadgeProposal).where(BadgeProposal.follow_sha256 == digest(token)).with_for_update())
    if row is None:
        raise NotFound("No proposal behind this link.", "Aucune proposition derrière ce lien.")
    return row


def follow(ctx: ServiceContext, token: str) -> ProposalOut:
    with ctx.db.sessions() as session:
        return _out(session, _by_token(session, token), with_votes=False)


def revise(ctx: ServiceContext, token: str, proposal: ProposalIn) -> ProposalOut:
    """The proposers change their proposal while it is open; after a question of the committee, a new round."""
    now = ctx.clock.now()
    with ctx.db.transaction() as session:
        row = _by_token(session, token)
        if row.state not in _OPEN:
            raise Conflict("This proposal is closed.", "Cette proposition est close.", code="proposal_closed")
        for name, value in _fields(proposal).items():
            setattr(row, name, value)
        answered = row.state == "more_info"
        if answered:
            row.state, row.round = "received", row.round + 1
        row.updated_at = now
        audit.record(session, actor="resident", action="proposal.revise", target_type="proposal", target_id=row.id,
                     org_id=row.org_id, details={"round": row.round})
        if answered:
            tell_the_committee(ctx, session, row.org_id, "proposal", row.id, badge_name=row.name, again=True,
                               asked_by=[row.contact] if row.contact else [], now=now)
        session.flush()
        return _out(session, row, with_votes=False)


def withdraw(ctx: ServiceContext, token: str) -> ProposalOut:
    now = ctx.clock.now()
    with ctx.db.transaction() as session:
        row = _by_token(session, token)
        if row.state not in _OPEN:
            raise Conflict("This proposal is closed.", "Cette proposition est close.", code="proposal_closed")
        row.state, row.contact, row.updated_at, row.decided_at = "withdrawn", None, now, now
        row.purge_after = purge_date(settings_of(session, row.org_id), now)
        audit.record(session, actor="resident", action="proposal.withdraw", target_type="proposal",
                     target_id=row.id, org_id=row.org_id)
        session.flush()
        return _out(session, row, with_votes=False)


def list_proposals(ctx: ServiceContext, org_id: str, state: str | None) -> list[ProposalOut]:
    with ctx.db.sessions() as session:
        rows = session.scalars(select(BadgeProposal).where(BadgeProposal.org_id == org_id,
                                                           BadgeProposal.state == (state or "received"))
                               .order_by(BadgeProposal.created_at, BadgeProposal.id))
        needed = needed_votes(session, org_id)
        return [_out(session, row, with_votes=True, needed=needed) for row in rows]


def _owned(session: Session, org_id: str, proposal_id: str, *, lock: bool = False) -> BadgeProposal:
    row = session.get(BadgeProposal, proposal_id, with_for_update=lock)
    if row is None or row.org_id != org_id:
        raise NotFound("No such proposal.", "Proposition introuvable.")
    return row


def read(ctx: ServiceContext, org_id: str, proposal_id: str) -> ProposalOut:
    with ctx.db.sessions() as session:
        return _out(session, _owned(session, org_id, proposal_id), with_votes=True)


def vote(ctx: ServiceContext, org_id: str, actor: str, member_id: str, proposal_id: str, given: VoteIn
         ) -> ProposalOut:
    """One member's vote; the vote that reaches the rule adopts (a draft achievement is created), declines, or asks
    the proposers for more.

    :raises Conflict: ``not_open_for_votes``, ``already_voted``.
    """
    now = ctx.clock.now()
    with ctx.db.transaction() as session:
        row = _owned(session, org_id, proposal_id, lock=True)
        member = voting_member(session, org_id, member_id)
        if row.state != "received":
            raise Conflict("This proposal is not awaiting votes.", "Cette proposition n'attend pas de votes.",
                           code="not_open_for_votes")
        this_round = record_vote(session, "proposal", row.id, row.round, member, given, actor=actor, now=now)
        decided = decision(rule_of(settings_of(session, org_id)), active_members(session, org_id),
                           [cast(Choice, v.choice) for v in this_round])
        if decided is not None:
            _decide(session, row, decided, this_round, actor=actor, now=now)
        session.flush()
        return _out(session, row, with_votes=True)


def _decide(session: Session, row: BadgeProposal, decided: Choice, votes: list[CommitteeVote], *, actor: str,
            now: datetime) -> None:
    if decided == "more":
        row.state, row.question = "more_info", comments(votes, "more")
    elif decided == "decline":
        row.state, row.reason, row.decided_at = "declined", comments(votes, "decline"), now
    else:
        credit = "Badge proposé par " + ", ".join(row.proposers) + "."
        draft = achievements.create(session, row.org_id, {
            "name": row.name, "description": f"{row.description}\n\n{credit}",
            "criteria": {"narrative": row.criteria}, "levels": list(row.levels)}, actor=actor)
        row.state, row.achievement_id, row.decided_at = "adopted", draft.id, now
    if decided != "more":  # closed: its personal fields go after the organisation's retention (purge.py)
        row.purge_after = purge_date(settings_of(session, row.org_id), now)
    row.updated_at = now
    audit.record(session, actor=actor, action=f"proposal.{'more_info' if decided == 'more' else decided}",
                 target_type="proposal", target_id=row.id, org_id=row.org_id, details={"round": row.round})
