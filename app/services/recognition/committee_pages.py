"""What the committee's pages (``/comite/{slug}…``) read and do, for a member signed in by email: one function per
page, each checking that the address is an active member of the organisation's committee
(:func:`~app.services.recognition.review.reviewer`) and returning everything its page shows.

Votes go through the one voting path (:func:`~app.services.recognition.review.vote`,
:func:`~app.services.recognition.proposals.vote`). The pages ask more than the API of a vote given in a form: a
choice among three, and a comment with "decline" and "ask for more", since the resident (or the proposers) read it.
A refused vote (own request, already voted, no longer open, a missing comment) comes back as the page's
``refused``, in words; not being a member, or a request that does not exist, is raised.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import ValidationError

from app.errors import Conflict, Forbidden, InvalidInput, SavoirsError
from app.models import BadgeRequest, CommitteeMember
from app.schemas.recognition import ProposalOut, RequestReview, VoteIn, VoteOut
from app.services import organisations
from app.services.context import ServiceContext
from app.services.recognition import proposals, review
from app.services.recognition.review import Reviewer

__all__ = ["Ballot", "Overview", "ProposalPage", "RequestLine", "RequestPage", "Tally", "overview", "proposal_page",
           "request_page", "vote_on_proposal", "vote_on_request"]

#: the refusals a page shows beside its vote form (anything else is the whole page's error)
_SHOWN_CODES = frozenset({"own_request", "already_voted", "not_open_for_votes", "choice_required",
                          "comment_required", "comment_invalid"})


@dataclass(frozen=True, slots=True)
class Ballot:
    """A vote as the form sent it: nothing in it is trusted yet."""

    choice: str
    comment: str


@dataclass(frozen=True, slots=True)
class Tally:
    """The votes of the current round: how many so far, how many of one choice decide, and the member's own."""

    votes: int
    needed: int
    mine: VoteOut | None


@dataclass(frozen=True, slots=True)
class RequestLine:
    request: RequestReview
    tally: Tally


@dataclass(frozen=True, slots=True)
class Overview:
    """The committee's page: requests awaiting votes, requests waiting for the resident, proposals awaiting votes."""

    org_name: str
    member_name: str
    awaiting: list[RequestLine]
    waiting_resident: list[RequestLine]
    proposals: list[ProposalOut]
    proposal_tallies: dict[str, Tally]


@dataclass(frozen=True, slots=True)
class RequestPage:
    """One request as a member reviews it; after a vote, ``outcome`` (``counted``, or the decision: ``accepted``,
    ``declined``, ``more_info``) or ``refused``, with the ``ballot`` sent (to fill the form again)."""

    org_name: str
    request: RequestReview
    tally: Tally
    own: bool
    outcome: str | None = None
    refused: SavoirsError | None = None
    ballot: Ballot | None = None


@dataclass(frozen=True, slots=True)
class ProposalPage:
    """One proposal as a member reviews it (``outcome``: ``counted``, ``adopted``, ``declined``, ``more_info``)."""

    org_name: str
    proposal: ProposalOut
    tally: Tally
    outcome: str | None = None
    refused: SavoirsError | None = None
    ballot: Ballot | None = None


def _tally(votes: list[VoteOut], round_: int, needed: int, member_id: str) -> Tally:
    this_round = [v for v in votes if v.round == round_]
    return Tally(len(this_round), needed, next((v for v in this_round if v.member_id == member_id), None))


def _line(row: RequestReview, who: Reviewer) -> RequestLine:
    return RequestLine(row, _tally(row.votes, row.round, row.needed, who.member_id))


def _names(ctx: ServiceContext, who: Reviewer) -> tuple[str, str]:
    """The organisation's name and the member's."""
    with ctx.db.sessions() as session:
        member = session.get(CommitteeMember, who.member_id)
        return organisations.get_by_id(session, who.org_id).name, member.name if member else ""


def overview(ctx: ServiceContext, slug: str, email: str) -> Overview:
    """The committee's page for the member signed in as ``email``.

    :raises Forbidden: ``not_a_member``. :raises NotFound: no organisation ``slug``."""
    who = review.reviewer(ctx, slug, email)
    org_name, member_name = _names(ctx, who)
    found = proposals.list_proposals(ctx, who.org_id, "received")
    return Overview(
        org_name=org_name, member_name=member_name,
        awaiting=[_line(r, who) for r in review.list_requests(ctx, who.org_id, "received")],
        waiting_resident=[_line(r, who) for r in review.list_requests(ctx, who.org_id, "more_info")],
        proposals=found, proposal_tallies={p.id: _proposal_tally(p, who) for p in found})


def _asked_by_member(ctx: ServiceContext, who: Reviewer, request_id: str) -> bool:
    """Whether the member asked for this badge themselves (the rule :func:`review.vote` enforces, read here only to
    say so before the member fills the form)."""
    with ctx.db.sessions() as session:
        row = session.get(BadgeRequest, request_id)
        member = session.get(CommitteeMember, who.member_id)
        return row is not None and member is not None and member.email.casefold() in review.requesters(row)


def _request_page(ctx: ServiceContext, who: Reviewer, request_id: str, *, outcome: str | None = None,
                  refused: SavoirsError | None = None, ballot: Ballot | None = None) -> RequestPage:
    found = review.review(ctx, who.org_id, request_id)
    return RequestPage(org_name=_names(ctx, who)[0], request=found, tally=_line(found, who).tally,
                       own=_asked_by_member(ctx, who, request_id), outcome=outcome, refused=refused, ballot=ballot)


def request_page(ctx: ServiceContext, slug: str, email: str, request_id: str) -> RequestPage:
    """A request of the organisation ``slug`` as the member signed in as ``email`` reviews it.

    :raises Forbidden: ``not_a_member``. :raises NotFound: no such request in this organisation."""
    return _request_page(ctx, review.reviewer(ctx, slug, email), request_id)


_READERS = {"request": ("the resident will read it", "la personne le lira"),
            "proposal": ("the proposers will read it", "les personnes qui l'ont proposé le liront")}


def _checked(ballot: Ballot, subject: str) -> VoteIn:
    """The vote a form sent, or why it cannot be counted.

    :raises InvalidInput: ``choice_required``, ``comment_required`` (decline and more: it is what the resident or
        the proposers read), ``comment_invalid``."""
    if ballot.choice not in ("accept", "decline", "more"):
        raise InvalidInput("Choose one of the three answers.", "Choisissez l'une des trois réponses.",
                           code="choice_required")
    comment = ballot.comment.replace("\r\n", "\n").strip()
    if ballot.choice != "accept" and not comment:
        readers_en, readers_fr = _READERS[subject]
        raise InvalidInput(f"Write a comment: {readers_en}.", f"Écrivez un commentaire : {readers_fr}.",
                           code="comment_required")
    try:
        return VoteIn(choice=ballot.choice, comment=comment or None)  # type: ignore[arg-type]
    except ValidationError:
        raise InvalidInput("The comment holds a character that cannot be kept (a control character). Remove it.",
                           "Le commentaire contient un caractère qui ne peut pas être gardé (un caractère de "
                           "contrôle). Retirez-le.", code="comment_invalid") from None


def _shown(exc: SavoirsError) -> bool:
    return isinstance(exc, InvalidInput | Conflict | Forbidden) and exc.code in _SHOWN_CODES


def vote_on_request(ctx: ServiceContext, slug: str, email: str, request_id: str, ballot: Ballot) -> RequestPage:
    """The member's vote on a request, from the page's form; the page again, saying what the vote did or why it
    was refused.

    :raises Forbidden: ``not_a_member``. :raises NotFound: no such request. :raises ServiceUnavailable: an
        acceptance while this server cannot sign."""
    who = review.reviewer(ctx, slug, email)
    try:
        voted = review.vote(ctx, who.org_id, who.actor, who.member_id, request_id,
                            _checked(ballot, "request"))
    except SavoirsError as exc:
        if not _shown(exc):
            raise
        return _request_page(ctx, who, request_id, refused=exc, ballot=ballot)
    outcome = "counted" if voted.state == "received" else voted.state
    return _request_page(ctx, who, request_id, outcome=outcome)


def _proposal_tally(found: ProposalOut, who: Reviewer) -> Tally:
    return _tally(found.votes or [], found.round, found.needed or 1, who.member_id)


def _proposal_page(ctx: ServiceContext, who: Reviewer, proposal_id: str, *, outcome: str | None = None,
                   refused: SavoirsError | None = None, ballot: Ballot | None = None) -> ProposalPage:
    found = proposals.read(ctx, who.org_id, proposal_id)
    return ProposalPage(org_name=_names(ctx, who)[0], proposal=found, tally=_proposal_tally(found, who),
                        outcome=outcome, refused=refused, ballot=ballot)


def proposal_page(ctx: ServiceContext, slug: str, email: str, proposal_id: str) -> ProposalPage:
    """A proposed badge as the member signed in as ``email`` reviews it.

    :raises Forbidden: ``not_a_member``. :raises NotFound: no such proposal in this organisation."""
    return _proposal_page(ctx, review.reviewer(ctx, slug, email), proposal_id)


def vote_on_proposal(ctx: ServiceContext, slug: str, email: str, proposal_id: str, ballot: Ballot) -> ProposalPage:
    """The member's vote on a proposal, from the page's form (``accept`` adopts: a draft badge is created)."""
    who = review.reviewer(ctx, slug, email)
    try:
        voted = proposals.vote(ctx, who.org_id, who.actor, who.member_id, proposal_id,
                               _checked(ballot, "proposal"))
    except SavoirsError as exc:
        if not _shown(exc):
            raise
        return _proposal_page(ctx, who, proposal_id, refused=exc, ballot=ballot)
    outcome = "counted" if voted.state == "received" else voted.state
    return _proposal_page(ctx, who, proposal_id, outcome=outcome)
