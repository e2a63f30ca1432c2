"""Retention: what the service forgets, and when (``purge_personal_data``, hourly, and ``savoirs purge``).

* **A declined or withdrawn request**, once its ``purge_after`` has passed (the organisation's
  ``evidence_retention_days`` after the decision or the withdrawal, 90 by default): its evidence files are deleted
  and its personal fields emptied: the resident's contact, name and narrative, the group members' names and
  addresses, and the free text written about the person (the committee's question and reason, the comments of the
  votes on it). The row stays, with its badge, level, kind, state, rounds, dates and the votes' choices, so the
  counts and the audit trail stay whole; ``purge_after`` becomes NULL (nothing left to purge). An accepted request
  is never purged here: it became a badge. Changing ``evidence_retention_days`` applies to requests closed from
  then on (``purge_after`` is set when a request closes).
* **A closed proposal**, once its ``purge_after`` has passed (the same retention, after the decision or the
  withdrawal). Declined or withdrawn: the proposers' names, their address, the committee's question and reason and
  the comments of the votes on it are emptied; the badge idea (name, description, criteria, levels), its state,
  rounds, dates and the votes' choices stay. Adopted: only the address and the votes' comments go; the proposers'
  names stay, since they asked to be credited on the badge (whose draft already names them). ``purge_after``
  becomes NULL.
* **An endorsement that was never given**: declined, or left unanswered past its date, :data:`ENDORSEMENT_RETENTION`
  after that: the person's name and address, the organisation's message and the words written are emptied (an open
  one is stored as expired); what was endorsed, by which kind of endorser, its state and dates stay. Given ones stay
  whole: they are published, with their endorser's consent, and must remain verifiable.
* **A message** sent or failed more than :data:`EMAIL_RETENTION` ago: its address and subject are emptied (its
  bodies were emptied when it was sent or failed); its purpose, state, attempts, error and dates stay.
* **Sign-in**: challenges a day after they expired, were used or superseded; sessions a day after they expired or
  were revoked (:data:`SIGNIN_GRACE`). Deleted.
* **Rate-limit counts** (hashed client keys, per window): :data:`RATE_RETENTION` after their window started.
  Deleted.

Each kind of row goes in batches of at most ``batch_size``, each its own short transaction, its rows locked
(PostgreSQL: ``FOR UPDATE SKIP LOCKED``; SQLite: the write lock ``BEGIN IMMEDIATE`` takes), so two purges at once
(two workers, a worker and ``savoirs purge``) never do the same row twice, and a purge stopped anywhere leaves a
consistent state: running it again does what is left, then nothing. Every purged request or proposal gets its own
audit event (``request.purge``, ``proposal.purge``); every run one more with its counts (``retention.purge``), and its
job record (if any) the number of rows done. Counts only: never a value.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, and_, delete, func, or_, select, update

from app.mail.sending import FAILED, SENT
from app.models import (
    BadgeProposal,
    BadgeRequest,
    CommitteeVote,
    Endorsement,
    Job,
    OutgoingEmail,
    RateCount,
    RequestEvidence,
)
from app.models.signin import SigninChallenge, SigninSession
from app.services import audit

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from app.services.context import ServiceContext

__all__ = ["BATCH_SIZE", "CLOSED", "CLOSED_PROPOSALS", "EMAIL_RETENTION", "ENDORSEMENT_RETENTION", "RATE_RETENTION",
           "SIGNIN_GRACE",
           "Purged", "due", "purge"]

log = logging.getLogger("savoirs.retention")

#: the states whose requests are purged once their ``purge_after`` has passed
CLOSED = ("declined", "withdrawn")
#: the states whose proposals are purged once their ``purge_after`` has passed (an adopted one keeps its proposers)
CLOSED_PROPOSALS = ("adopted", "declined", "withdrawn")
#: how long a sent or failed message keeps its address. Long enough to answer "did it reach me?" or "why did it
#: fail?" (bounces and complaints come within days; mail servers commonly keep their logs a month), short enough
#: that the table is not a directory of every address the service ever wrote to. A constant, not a setting: it
#: is the service's own bookkeeping, the same for every organisation, and the bodies (the content) are emptied
#: at once anyway.
EMAIL_RETENTION = timedelta(days=30)
#: how long an endorsement never given keeps the person's name and address and the words around it: long enough to
#: answer "what happened to my request?", as a closed request's evidence
ENDORSEMENT_RETENTION = timedelta(days=90)
#: how long a finished sign-in challenge or session is kept: the per-address throttle counts the last hour's
#: requests, and a day lets support follow a "my link did not work" (the sign-in service keeps the same day)
SIGNIN_GRACE = timedelta(days=1)
#: how long a rate-limit window's count is kept (hashed client keys): the longest window is an hour
RATE_RETENTION = timedelta(days=1)
BATCH_SIZE = 200


@dataclass(slots=True)
class Purged:
    """What one run did: rows purged or deleted, by kind; ``finished`` once nothing due is left."""

    requests: int = 0
    evidence: int = 0
    proposals: int = 0
    endorsements: int = 0
    emails: int = 0
    challenges: int = 0
    sessions: int = 0
    rate_windows: int = 0
    finished: bool = False

    @property
    def total(self) -> int:
        return (self.requests + self.proposals + self.endorsements + self.emails + self.challenges + self.sessions
                + self.rate_windows)

    def counts(self) -> dict[str, int]:
        return {name: value for name, value in asdict(self).items() if name != "finished"}


def _never() -> bool:
    return False


def _requests_due(now: datetime) -> tuple[ColumnElement[bool], ...]:
    return (BadgeRequest.state.in_(CLOSED), BadgeRequest.purge_after.is_not(None), BadgeRequest.purge_after <= now)


def _proposals_due(now: datetime) -> tuple[ColumnElement[bool], ...]:
    return (BadgeProposal.state.in_(CLOSED_PROPOSALS), BadgeProposal.purge_after.is_not(None),
            BadgeProposal.purge_after <= now)


def _endorsements_due(now: datetime) -> tuple[ColumnElement[bool], ...]:
    ended = now - ENDORSEMENT_RETENTION
    return (or_(and_(Endorsement.state == "declined", Endorsement.decided_at < ended),
                and_(Endorsement.state.in_(("consent", "requested", "offered", "expired")),
                     Endorsement.expires_at < ended)),
            or_(Endorsement.invited_email.is_not(None), Endorsement.invited_name.is_not(None),
                Endorsement.message.is_not(None), Endorsement.comment.is_not(None)))


def _emails_due(now: datetime) -> tuple[ColumnElement[bool], ...]:
    return (OutgoingEmail.state.in_((SENT, FAILED)), OutgoingEmail.to_address != "",
            func.coalesce(OutgoingEmail.sent_at, OutgoingEmail.created_at) < now - EMAIL_RETENTION)


def _challenges_due(now: datetime) -> tuple[ColumnElement[bool], ...]:
    ended = now - SIGNIN_GRACE
    return (or_(SigninChallenge.expires_at < ended, SigninChallenge.used_at < ended,
                SigninChallenge.superseded_at < ended),)


def _sessions_due(now: datetime) -> tuple[ColumnElement[bool], ...]:
    ended = now - SIGNIN_GRACE
    return (or_(SigninSession.expires_at < ended, SigninSession.revoked_at < ended),)


def due(session: Session, now: datetime) -> bool:
    """Whether anything is due for purging at ``now`` (a few indexed or small reads)."""
    checks = (select(BadgeRequest.id).where(*_requests_due(now)),
              select(BadgeProposal.id).where(*_proposals_due(now)), select(OutgoingEmail.id).where(*_emails_due(now)),
              select(Endorsement.id).where(*_endorsements_due(now)),
              select(SigninChallenge.id).where(*_challenges_due(now)),
              select(SigninSession.id).where(*_sessions_due(now)),
              select(RateCount.key_sha256).where(RateCount.window_start < now - RATE_RETENTION))
    return any(session.scalar(check.limit(1)) is not None for check in checks)


def _requests(session: Session, now: datetime, limit: int, purged: Purged, actor: str) -> int:
    rows = list(session.scalars(select(BadgeRequest).where(*_requests_due(now))
                                .order_by(BadgeRequest.purge_after, BadgeRequest.id).limit(limit)
                                .with_for_update(skip_locked=True)))
    if not rows:
        return 0
    ids = [row.id for row in rows]
    files: dict[str, int] = {request_id: count for request_id, count in session.execute(
        select(RequestEvidence.request_id, func.count()).where(RequestEvidence.request_id.in_(ids))
        .group_by(RequestEvidence.request_id)).all()}
    session.execute(delete(RequestEvidence).where(RequestEvidence.request_id.in_(ids)))
    session.execute(update(CommitteeVote).where(CommitteeVote.subject_kind == "request",
                                                CommitteeVote.subject_id.in_(ids), CommitteeVote.comment.is_not(None))
                    .values(comment=None))
    for row in rows:
        row.contact, row.requester_name, row.narrative = None, None, ""
        row.members = [{} for _ in row.members]  # how many there were, nothing of who
        row.question, row.reason, row.claim_codes = None, None, []
        row.purge_after, row.updated_at = None, now
        audit.record(session, actor=actor, action="request.purge", target_type="request", target_id=row.id,
                     org_id=row.org_id, details={"evidence": files.get(row.id, 0)})
    purged.requests += len(rows)
    purged.evidence += sum(files.values())
    return len(rows)


def _proposals(session: Session, now: datetime, limit: int, purged: Purged, actor: str) -> int:
    rows = list(session.scalars(select(BadgeProposal).where(*_proposals_due(now))
                                .order_by(BadgeProposal.purge_after, BadgeProposal.id).limit(limit)
                                .with_for_update(skip_locked=True)))
    if not rows:
        return 0
    comments: dict[str, int] = {proposal_id: count for proposal_id, count in session.execute(
        select(CommitteeVote.subject_id, func.count()).where(
            CommitteeVote.subject_kind == "proposal", CommitteeVote.subject_id.in_([row.id for row in rows]),
            CommitteeVote.comment.is_not(None)).group_by(CommitteeVote.subject_id)).all()}
    if comments:
        session.execute(update(CommitteeVote).where(CommitteeVote.subject_kind == "proposal",
                                                    CommitteeVote.subject_id.in_(list(comments)),
                                                    CommitteeVote.comment.is_not(None))
                        .values(comment=None))
    for row in rows:
        row.contact = None
        if row.state != "adopted":  # an adopted proposal's proposers are credited on its badge, as they asked
            row.proposers, row.question, row.reason = [], None, None
        row.purge_after, row.updated_at = None, now
        audit.record(session, actor=actor, action="proposal.purge", target_type="proposal", target_id=row.id,
                     org_id=row.org_id, details={"comments": comments.get(row.id, 0)})
    purged.proposals += len(rows)
    return len(rows)


def _endorsements(session: Session, now: datetime, limit: int, purged: Purged, actor: str) -> int:
    rows = list(session.scalars(select(Endorsement).where(*_endorsements_due(now)).order_by(Endorsement.id)
                                .limit(limit).with_for_update(skip_locked=True)))
    for row in rows:
        row.invited_email = row.invited_name = row.message = row.comment = None
        if row.state != "declined":
            row.state = "expired"
        row.updated_at = now
        audit.record(session, actor=actor, action="endorsement.purge", target_type="endorsement",
                     target_id=row.id, org_id=row.org_id, details={"state": row.state})
    purged.endorsements += len(rows)
    return len(rows)


def _emails(session: Session, now: datetime, limit: int, purged: Purged, actor: str) -> int:
    ids = list(session.scalars(select(OutgoingEmail.id).where(*_emails_due(now)).order_by(OutgoingEmail.id)
                               .limit(limit).with_for_update(skip_locked=True)))
    if ids:
        session.execute(update(OutgoingEmail).where(OutgoingEmail.id.in_(ids))
                        .values(to_address="", subject="", text_body="", html_body=None))
    purged.emails += len(ids)
    return len(ids)


def _challenges(session: Session, now: datetime, limit: int, purged: Purged, actor: str) -> int:
    ids = list(session.scalars(select(SigninChallenge.id).where(*_challenges_due(now)).order_by(SigninChallenge.id)
                               .limit(limit).with_for_update(skip_locked=True)))
    if ids:
        session.execute(delete(SigninChallenge).where(SigninChallenge.id.in_(ids)))
    purged.challenges += len(ids)
    return len(ids)


def _sessions(session: Session, now: datetime, limit: int, purged: Purged, actor: str) -> int:
    ids = list(session.scalars(select(SigninSession.id).where(*_sessions_due(now)).order_by(SigninSession.id)
                               .limit(limit).with_for_update(skip_locked=True)))
    if ids:
        session.execute(delete(SigninSession).where(SigninSession.id.in_(ids)))
    purged.sessions += len(ids)
    return len(ids)


def _rate_windows(session: Session, now: datetime, limit: int, purged: Purged, actor: str) -> int:
    keys = session.execute(select(RateCount.key_sha256, RateCount.window_start)
                           .where(RateCount.window_start < now - RATE_RETENTION)
                           .order_by(RateCount.window_start).limit(limit).with_for_update(skip_locked=True)).all()
    for key, start in keys:
        session.execute(delete(RateCount).where(RateCount.key_sha256 == key, RateCount.window_start == start))
    purged.rate_windows += len(keys)
    return len(keys)


_Batch = Callable[["Session", datetime, int, Purged, str], int]
_KINDS: tuple[_Batch, ...] = (_requests, _proposals, _endorsements, _emails, _challenges, _sessions, _rate_windows)


def _progress(session: Session, job_id: str | None, purged: Purged, now: datetime, *, last: bool = False) -> None:
    job = session.get(Job, job_id) if job_id is not None else None
    if job is not None:
        job.progress_done, job.updated_at = purged.total, now
        if last:
            job.progress_total = purged.total


def purge(ctx: ServiceContext, *, actor: str, job_id: str | None = None, should_stop: Callable[[], bool] = _never,
          batch_size: int = BATCH_SIZE) -> Purged:
    """Purge what is due now, batch after batch; what was done (``finished`` false when ``should_stop`` said to
    stop before the end: the next run does the rest).

    :param actor: who runs it, for the audit trail (``system`` for the job, ``cli`` for ``savoirs purge``).
    :param job_id: the job running it, whose record gets the progress.
    """
    now = ctx.clock.now()
    purged = Purged()
    for batch in _KINDS:
        while True:
            if should_stop():
                _summary(ctx, purged, actor=actor, job_id=job_id)
                return purged
            with ctx.db.transaction() as session:
                done = batch(session, now, batch_size, purged, actor)
                _progress(session, job_id, purged, ctx.clock.now())
            if done < batch_size:
                break
    purged.finished = True
    _summary(ctx, purged, actor=actor, job_id=job_id)
    return purged


def _summary(ctx: ServiceContext, purged: Purged, *, actor: str, job_id: str | None) -> None:
    details: dict[str, Any] = {**purged.counts(), "finished": purged.finished}
    with ctx.db.transaction() as session:
        _progress(session, job_id, purged, ctx.clock.now(), last=purged.finished)
        audit.record(session, actor=actor, action="retention.purge", target_type="retention",
                     target_id=job_id or actor, org_id=None, details=details)
    log.info("retention purge (%s): %d request(s), %d evidence file(s), %d proposal(s), %d endorsement(s), "
             "%d message(s), %d sign-in challenge(s), %d session(s)%s", job_id or actor, purged.requests,
             purged.evidence, purged.proposals, purged.endorsements, purged.emails, purged.challenges, purged.sessions,
             "" if purged.finished else "; stopped before the end")
