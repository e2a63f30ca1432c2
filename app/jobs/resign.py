"""After an Ed25519 key is compromised: re-sign every stored OB 3.0 credential it signed.

Batches of :data:`BATCH_SIZE` credentials, one transaction each: a batch replaces the proofs (same credential, same
id, a fresh ``eddsa-rdfc-2022`` proof by the organisation's active Ed25519 key) and records its progress together,
so a run that stops anywhere leaves a consistent state and the next run goes on with what is left. The credentials
to do are found by their ``signing_key_id``, never by a position: doing one twice is impossible, skipping one too.
Until the job reaches a credential, serving it re-signs it first (:func:`app.services.publication.servable_award`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, func, select

from app.models import Award, Job
from app.services.issuing import Resigner

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from app.services.context import ServiceContext

__all__ = ["BATCH_SIZE", "run"]

BATCH_SIZE = 500


def _never() -> bool:
    return False


def _pending(org_id: str, key_id: str) -> tuple[ColumnElement[bool], ...]:
    # an erased award keeps no credential to sign (only its status-list positions)
    return Award.org_id == org_id, Award.signing_key_id == key_id, Award.erased_at.is_(None)


def _begin(session: Session, job_id: str) -> tuple[str, str, int]:
    job = session.get_one(Job, job_id)
    org_id, key_id = job.org_id, str(job.params["compromised_key_id"])
    assert org_id is not None, "a re-signing job belongs to an organisation"
    if job.progress_total is None:  # first run: what is left now is all there is (earlier runs recorded theirs)
        left = session.scalar(select(func.count()).select_from(Award).where(*_pending(org_id, key_id))) or 0
        job.progress_total = job.progress_done + left
    return org_id, key_id, job.progress_total


def run(ctx: ServiceContext, job_id: str, *, should_stop: Callable[[], bool] = _never, batch_size: int = BATCH_SIZE,
        max_batches: int | None = None) -> bool:
    """Re-sign batch after batch; true once no credential is signed by the compromised key any more, false when
    stopped before (``should_stop``, or ``max_batches`` done).

    :raises SigningUnavailable: no usable key-encryption key (the run fails and is retried).
    """
    with ctx.db.transaction() as session:
        org_id, key_id, total = _begin(session, job_id)
    done_batches = 0
    while True:
        if should_stop() or (max_batches is not None and done_batches >= max_batches):
            return False
        with ctx.db.transaction() as session:
            batch = session.scalars(select(Award).where(*_pending(org_id, key_id)).order_by(Award.id)
                                    .limit(batch_size).with_for_update()).all()
            job = session.get_one(Job, job_id)
            now = ctx.clock.now()
            if not batch:
                job.progress_done, job.updated_at = total, now
                return True
            resigner = Resigner(session, ctx.vault, ctx.urls, org_id)
            for award in batch:
                resigner.resign(award, now=now)
            job.progress_done, job.updated_at = min(total, job.progress_done + len(batch)), now
        done_batches += 1
