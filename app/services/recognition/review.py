"""The committee's side: its members and rules, the requests to review with their evidence, votes and decisions.

A vote is recorded in the request's transaction with its row locked, so two members voting at once are counted one
after the other; the vote that reaches the organisation's rule decides (:mod:`.rules`). Accepting issues the award
through the one issuing path (:func:`app.services.awards.award_one` / :func:`~app.services.awards.award_group`):
the level asked for, the group's members, and, only with the resident's consent, their evidence. Every vote and
decision is in the audit log.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, cast

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.badges.identity import normalise_email
from app.errors import Conflict, Forbidden, InvalidInput, NotFound
from app.mail import send_later
from app.models import Achievement, BadgeRequest, CommitteeMember, CommitteeVote, RecognitionSettings, RequestEvidence
from app.schemas.recognition import (
    CommitteeMemberIn,
    CommitteeMemberOut,
    RecognitionSettingsIn,
    RecognitionSettingsOut,
    RequestReview,
    VoteIn,
)
from app.services import audit, organisations
from app.services.awards import NewMember, award_group, award_one, create_group, members_of
from app.services.context import ServiceContext
from app.services.issuing import AwardSpec, RecipientSpec
from app.services.recognition.common import (
    EvidenceFile,
    active_members,
    evidence_file_of,
    evidence_of,
    follow_url,
    needed_votes,
    private_link,
    purge_date,
    request_review,
    rule_of,
    settings_of,
)
from app.services.recognition.messages import committee_review, request_decided
from app.services.recognition.rules import Choice, decision

__all__ = ["EvidenceFile", "Reviewer", "add_member", "comments", "committee_link", "evidence_file", "list_members",
           "list_requests", "read_settings", "record_vote", "remove_member", "requesters", "requests_for", "review",
           "review_for", "reviewer", "evidence_for", "tell_the_committee", "update_settings", "vote", "vote_as",
           "voting_member"]

STATES = ("received", "more_info", "accepted", "declined", "withdrawn")


def _member_out(row: CommitteeMember) -> CommitteeMemberOut:
    return CommitteeMemberOut(id=row.id, name=row.name, email=row.email, language=row.language, active=row.active,
                              created_at=row.created_at)


def add_member(ctx: ServiceContext, org_id: str, actor: str, member: CommitteeMemberIn) -> CommitteeMemberOut:
    """Name a member of the committee (an address already named, and inactive, is made active again).

    :raises Conflict: ``member_exists``, an active member has this address."""
    email = normalise_email(member.email)
    with ctx.db.transaction() as session:
        row = session.scalar(select(CommitteeMember).where(CommitteeMember.org_id == org_id,
                                                           CommitteeMember.email == email))
        if row is not None and row.active:
            raise Conflict("A member of the committee already has this address.",
                           "Un membre du comité a déjà cette adresse.", code="member_exists")
        if row is None:
            row = CommitteeMember(org_id=org_id, email=email, created_at=ctx.clock.now())
            session.add(row)
        row.name, row.language, row.active = member.name, member.language, True
        session.flush()
        audit.record(session, actor=actor, action="committee.member_add", target_type="committee_member",
                     target_id=row.id, org_id=org_id)
        return _member_out(row)


def list_members(ctx: ServiceContext, org_id: str) -> list[CommitteeMemberOut]:
    with ctx.db.sessions() as session:
        return [_member_out(row) for row in session.scalars(
            select(CommitteeMember).where(CommitteeMember.org_id == org_id, CommitteeMember.active.is_(True))
            .order_by(CommitteeMember.name, CommitteeMember.id))]


def remove_member(ctx: ServiceContext, org_id: str, actor: str, member_id: str) -> None:
    """A member leaves the committee: no more votes; their past votes stay (they were cast)."""
    with ctx.db.transaction() as session:
        row = session.get(CommitteeMember, member_id)
        if row is None or row.org_id != org_id or not row.active:
            raise NotFound("No such member of the committee.", "Aucun membre du comité de ce nom.")
        row.active = False
        audit.record(session, actor=actor, action="committee.member_remove", target_type="committee_member",
                     target_id=row.id, org_id=org_id)


@dataclass(frozen=True, slots=True)
class Reviewer:
    """A signed-in member of an organisation's committee."""

    org_id: str
    member_id: str
    actor: str


def reviewer(ctx: ServiceContext, slug: str, email: str) -> Reviewer:
    """The active member of the committee of the organisation ``slug`` whose address was proven by signing in.

    :raises Forbidden: ``not_a_member``."""
    with ctx.db.sessions() as session:
        org = organisations.get_by_slug(session, slug)
        for row in session.scalars(select(CommitteeMember).where(CommitteeMember.org_id == org.id,
                                                                 CommitteeMember.active.is_(True))):
            if row.email.casefold() == email.casefold():
                return Reviewer(org.id, row.id, f"member:{row.id}")
    raise Forbidden("You are not a member of this organisation's committee.",
                    "Vous n'êtes pas membre du comité de cette organisation.", code="not_a_member")


def _settings_out(session: Session, row: RecognitionSettings) -> RecognitionSettingsOut:
    return RecognitionSettingsOut(requests_open=row.requests_open, rule=row.rule, acceptances=row.acceptances,
                                  evidence_retention_days=row.evidence_retention_days,
                                  active_members=active_members(session, row.org_id))


def read_settings(ctx: ServiceContext, org_id: str) -> RecognitionSettingsOut:
    with ctx.db.sessions() as session:
        return _settings_out(session, settings_of(session, org_id))


def update_settings(ctx: ServiceContext, org_id: str, actor: str, change: RecognitionSettingsIn
                    ) -> RecognitionSettingsOut:
    with ctx.db.transaction() as session:
        row = session.get(RecognitionSettings, org_id, with_for_update=True)
        if row is None:
            row = settings_of(session, org_id)
            session.add(row)
        changed = change.model_dump(exclude_none=True)
        for name, value in changed.items():
            setattr(row, name, value)
        session.flush()
        audit.record(session, actor=actor, action="committee.settings", target_type="organisation",
                     target_id=org_id, org_id=org_id, details=changed)
        return _settings_out(session, row)


def list_requests(ctx: ServiceContext, org_id: str, state: str | None) -> list[RequestReview]:
    """The organisation's requests, oldest first (``state``: only those in it; default: those awaiting votes)."""
    with ctx.db.sessions() as session:
        rows = session.scalars(select(BadgeRequest).where(BadgeRequest.org_id == org_id,
                                                          BadgeRequest.state == (state or "received"))
                               .order_by(BadgeRequest.created_at, BadgeRequest.id))
        needed = needed_votes(session, org_id)
        return [request_review(session, row, needed) for row in rows]


def _owned(session: Session, org_id: str, request_id: str, *, lock: bool = False) -> BadgeRequest:
    row = session.get(BadgeRequest, request_id, with_for_update=lock)
    if row is None or row.org_id != org_id:
        raise NotFound("No such request.", "Demande introuvable.")
    return row


def review(ctx: ServiceContext, org_id: str, request_id: str) -> RequestReview:
    with ctx.db.sessions() as session:
        return request_review(session, _owned(session, org_id, request_id))


def evidence_file(ctx: ServiceContext, org_id: str, request_id: str, evidence_id: str) -> EvidenceFile:
    """One evidence file of a request of the organisation, for its committee."""
    with ctx.db.sessions() as session:
        _owned(session, org_id, request_id)
        row = session.get(RequestEvidence, evidence_id)
        if row is None or row.request_id != request_id:
            raise NotFound("No such evidence.", "Preuve introuvable.")
        return evidence_file_of(row)


def vote(ctx: ServiceContext, org_id: str, actor: str, member_id: str, request_id: str, given: VoteIn
         ) -> RequestReview:
    """One member's vote on a request awaiting votes; the vote that reaches the rule decides (and, to accept,
    issues the award in the same transaction).

    :raises Forbidden: ``own_request``, the member asked for this badge themselves.
    :raises Conflict: ``not_open_for_votes`` (decided, withdrawn, or waiting for the resident),
        ``already_voted`` (in this round).
    """
    now = ctx.clock.now()
    with ctx.db.transaction() as session:
        row = _owned(session, org_id, request_id, lock=True)
        member = voting_member(session, org_id, member_id)
        if row.state != "received":
            raise Conflict("This request is not awaiting votes.", "Cette demande n'attend pas de votes.",
                           code="not_open_for_votes")
        if _asked_by(row, member):
            raise Forbidden("A member cannot vote on their own request.",
                            "Un membre ne peut pas voter sur sa propre demande.", code="own_request")
        this_round = record_vote(session, "request", row.id, row.round, member, given, actor=actor, now=now)
        settings = settings_of(session, org_id)
        decided = decision(rule_of(settings), active_members(session, org_id),
                           [cast(Choice, v.choice) for v in this_round])
        if decided is not None:
            _decide(ctx, session, row, decided, this_round, settings, actor=actor, now=now)
        session.flush()
        return request_review(session, row)


def voting_member(session: Session, org_id: str, member_id: str) -> CommitteeMember:
    """The active member ``member_id`` of the organisation's committee (anyone else: not found)."""
    member = session.get(CommitteeMember, member_id)
    if member is None or member.org_id != org_id or not member.active:
        raise NotFound("No such member of the committee.", "Aucun membre du comité de ce nom.")
    return member


def record_vote(session: Session, kind: str, subject_id: str, round_: int, member: CommitteeMember, given: VoteIn,
                *, actor: str, now: datetime) -> list[CommitteeVote]:
    """Record ``member``'s vote on a request or a proposal in round ``round_`` (audited); the round's votes so far.

    :raises InvalidInput: ``comment_required``, a decline or a question without words for the person who reads it.
    :raises Conflict: ``already_voted``."""
    if given.choice in ("decline", "more") and not (given.comment or "").strip():
        raise InvalidInput("Say why, or what you ask (comment): the person will read it.",
                           "Dites pourquoi, ou ce que vous demandez (commentaire) : la personne le lira.",
                           code="comment_required")
    if session.scalar(select(CommitteeVote.id).where(
            CommitteeVote.subject_kind == kind, CommitteeVote.subject_id == subject_id,
            CommitteeVote.round == round_, CommitteeVote.member_id == member.id)) is not None:
        raise Conflict("This member already voted in this round.", "Ce membre a déjà voté à ce tour.",
                       code="already_voted")
    session.add(CommitteeVote(org_id=member.org_id, subject_kind=kind, subject_id=subject_id, round=round_,
                              member_id=member.id, choice=given.choice, comment=given.comment, created_at=now))
    session.flush()
    audit.record(session, actor=actor, action=f"{kind}.vote", target_type=kind, target_id=subject_id,
                 org_id=member.org_id, details={"member": member.id, "choice": given.choice, "round": round_})
    return list(session.scalars(select(CommitteeVote).where(
        CommitteeVote.subject_kind == kind, CommitteeVote.subject_id == subject_id, CommitteeVote.round == round_)
        .order_by(CommitteeVote.created_at, CommitteeVote.id)))


def requesters(row: BadgeRequest) -> set[str]:
    """The addresses of the people who asked (the resident's, the group members'), case-folded."""
    addresses = {row.contact} if row.contact_kind == "email" and row.contact else set()
    addresses |= {str(m["email"]) for m in row.members if m.get("email")}
    return {a.casefold() for a in addresses}


def _asked_by(row: BadgeRequest, member: CommitteeMember) -> bool:
    return member.email.casefold() in requesters(row)


def committee_link(ctx: ServiceContext, slug: str, kind: Literal["request", "proposal"], subject_id: str) -> str:
    """Sign in as a member of the committee, then the request's (or proposal's) page."""
    page = "demandes" if kind == "request" else "propositions"
    return f"{ctx.urls.base}/connexion?audience=committee&next=/comite/{slug}/{page}/{subject_id}"


def tell_the_committee(ctx: ServiceContext, session: Session, org_id: str, kind: Literal["request", "proposal"],
                       subject_id: str, *, badge_name: str, again: bool, asked_by: Iterable[str], now: datetime
                       ) -> int:
    """One message to each active member of the committee, in their language, in ``session``'s transaction: a
    request (or proposal) awaits their vote, ``again`` after the committee asked for more. Members whose address is
    in ``asked_by`` asked themselves: they are not told. How many were."""
    org = organisations.get_by_id(session, org_id)
    skipped = {a.casefold() for a in asked_by}
    link = committee_link(ctx, org.slug, kind, subject_id)
    members = session.scalars(select(CommitteeMember).where(CommitteeMember.org_id == org_id,
                                                            CommitteeMember.active.is_(True))
                              .order_by(CommitteeMember.created_at, CommitteeMember.id)).all()
    told = [m for m in members if m.email.casefold() not in skipped]
    for member in told:
        send_later(ctx, session, committee_review(
            to=member.email, language="en" if member.language == "en" else "fr", org_id=org_id, org_name=org.name,
            member_name=member.name, kind=kind, badge_name=badge_name, again=again, action_url=link), now=now)
    return len(told)


def comments(votes: list[CommitteeVote], choice: Choice) -> str | None:
    """What the members who made ``choice`` wrote, one comment a line."""
    said = [v.comment for v in votes if v.choice == choice and v.comment]
    return "\n".join(said) or None


def _decide(ctx: ServiceContext, session: Session, row: BadgeRequest, decided: Choice, votes: list[CommitteeVote],
            settings: RecognitionSettings, *, actor: str, now: datetime) -> None:
    if decided == "more":
        row.state, row.question = "more_info", comments(votes, "more")
    elif decided == "decline":
        row.state, row.reason, row.decided_at = "declined", comments(votes, "decline"), now
        row.purge_after = purge_date(settings, now)
    else:
        _accept(ctx, session, row, actor=actor, now=now)
    row.updated_at = now
    audit.record(session, actor=actor, action=f"request.{'more_info' if decided == 'more' else decided}",
                 target_type="request", target_id=row.id, org_id=row.org_id, details={"round": row.round})
    _tell_the_resident(ctx, session, row, now=now)


def _badge_link(ctx: ServiceContext, row: BadgeRequest) -> str:
    """Where the accepted badge is: in the resident's space (signing in with the address claims it), or, for a
    group's badge, its public page."""
    assert row.award_id is not None
    if row.kind == "collective":
        return ctx.urls.credential(row.award_id)
    return f"{ctx.urls.holder_space()}/badges/{row.award_id}"


def _tell_the_resident(ctx: ServiceContext, session: Session, row: BadgeRequest, *, now: datetime) -> None:
    """The decision by email, when the resident gave an address (otherwise their private link shows it)."""
    if row.contact_kind != "email" or not row.contact:
        return
    org = organisations.get_by_id(session, row.org_id)
    badge = session.get(Achievement, row.achievement_id)
    follow = follow_url(ctx.urls, private_link(ctx.vault, "request", row.id)[0])
    accepted = row.state == "accepted" and row.award_id is not None
    send_later(ctx, session, request_decided(
        to=row.contact, language="en" if row.language == "en" else "fr", org_id=org.id, org_name=org.name,
        badge_name=badge.name if badge else "", state=row.state,
        action_url=_badge_link(ctx, row) if accepted else follow, reason=row.reason,
        question=row.question, claim_code=", ".join(c["code"] for c in row.claim_codes) or None), now=now)


def _published_evidence(ctx: ServiceContext, session: Session, row: BadgeRequest) -> tuple[dict[str, Any], ...]:
    """OB 3.0 evidence from what the resident agreed to publish: their words, and each file at its public URL."""
    if not row.publish_evidence:
        return ()
    items: list[dict[str, Any]] = [{"name": "Ce que j'ai fait", "narrative": row.narrative}]
    for number, file in enumerate(evidence_of(session, row.id), start=1):
        if file.kind == "text":
            items.append({"name": f"Témoignage {number}", "narrative": file.content.decode("utf-8")})
        else:
            genre = "Photo" if file.kind == "image" else "Document"
            items.append({"id": f"{ctx.urls.base}/preuves/{file.id}", "name": f"{genre} {number}", "genre": genre})
    return tuple(items)


def _accept(ctx: ServiceContext, session: Session, row: BadgeRequest, *, actor: str, now: datetime) -> None:
    ctx.vault.require_kek()
    evidence = _published_evidence(ctx, session, row)
    name = row.requester_name if row.publish_name else None
    if row.kind == "collective":
        group = create_group(session, row.org_id, row.group_name or "", None,
                             [NewMember({"email": m["email"]} if m.get("email") else {}, str(m["name"]))
                              for m in row.members],
                             actor=actor)
        base = AwardSpec(recipient=RecipientSpec("group", None, row.group_name, publish_name=True),
                         evidence=evidence, level=row.level)
        result = award_group(session, ctx.vault, ctx.urls, row.org_id, row.achievement_id, group.id, base, now=now,
                             actor=actor)
        row.award_id = result.group.award.id
        row.claim_codes = [{"name": member.display_name or "", "code": issued.claim_code}  # the order awarded in
                           for member, issued in zip(members_of(session, group.id), result.members, strict=True)
                           if issued.claim_code]
    else:
        kind, value = (row.contact_kind, row.contact) if row.contact_kind in ("email", "phone") else ("none", None)
        spec = AwardSpec(recipient=RecipientSpec(kind, value, row.requester_name,  # type: ignore[arg-type]
                                                 publish_name=bool(name), public=bool(name)),
                         evidence=evidence, level=row.level)
        issued = award_one(session, ctx.vault, ctx.urls, row.org_id, row.achievement_id, spec, now=now, actor=actor)
        row.award_id = issued.award.id
        row.claim_codes = [{"name": row.requester_name or "", "code": issued.claim_code}] if issued.claim_code else []
    row.state, row.decided_at = "accepted", now


# ------------------------------------------------------------------------------------------------ signed in


def requests_for(ctx: ServiceContext, slug: str, email: str, state: str | None) -> list[RequestReview]:
    """:func:`list_requests` for a signed-in member of the committee of ``slug``."""
    return list_requests(ctx, reviewer(ctx, slug, email).org_id, state)


def review_for(ctx: ServiceContext, slug: str, email: str, request_id: str) -> RequestReview:
    return review(ctx, reviewer(ctx, slug, email).org_id, request_id)


def evidence_for(ctx: ServiceContext, slug: str, email: str, request_id: str, evidence_id: str) -> EvidenceFile:
    return evidence_file(ctx, reviewer(ctx, slug, email).org_id, request_id, evidence_id)


def vote_as(ctx: ServiceContext, slug: str, email: str, request_id: str, given: VoteIn) -> RequestReview:
    """A signed-in member's own vote (``member_id`` in ``given`` is not read)."""
    who = reviewer(ctx, slug, email)
    return vote(ctx, who.org_id, who.actor, who.member_id, request_id, given)
