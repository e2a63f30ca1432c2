"""The ``purge_personal_data`` job: when it is queued, and what it runs (:mod:`app.services.recognition.purge`).

It is queued by :func:`schedule`, which the workers call when they start, then every hour (procrastinate's
periodic task :data:`app.jobs.tasks.SCHEDULE_PURGE`, at 17 minutes past: in ``savoirs worker`` on PostgreSQL,
where procrastinate defers it once per hour whatever the number of workers, and in the in-process worker on
SQLite). A job is queued only when something is due and no purge job is already waiting or running, so an idle
service leaves no trail of empty runs. The job runs under one lock for the kind
(:data:`app.jobs.kinds.LOCKED_BY`): one purge at a time across every worker. ``savoirs purge`` runs the same purge
at once, outside the queue; its batches lock their rows, so it never does a row a worker is doing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select, text

from app.jobs.kinds import PURGE_PERSONAL_DATA
from app.jobs.records import QUEUED, RUNNING
from app.models import Job
from app.services.recognition.purge import due, purge

if TYPE_CHECKING:
    from app.services.context import ServiceContext

__all__ = ["STALE", "run", "schedule", "schedule_quietly"]

log = logging.getLogger("savoirs.jobs")

#: a purge job whose record has not moved for this long no longer holds back a new one (its worker died and
#: nothing queued it again: a second purge is harmless, the rows are locked and done once)
STALE = timedelta(hours=6)
#: PostgreSQL advisory lock (transaction scope) taken while deciding to queue: two workers starting together queue
#: one purge, not two
_ADVISORY_KEY = 0x7361766F69727370  # "savoirsp"


def _never() -> bool:
    return False


def schedule(ctx: ServiceContext) -> str | None:
    """Queue a purge job when something is due and none is waiting or running; its id, or None."""
    now = ctx.clock.now()
    with ctx.db.transaction() as session:
        if ctx.db.backend == "postgresql":
            session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _ADVISORY_KEY})
        pending = session.scalar(select(Job.id).where(Job.kind == PURGE_PERSONAL_DATA,
                                                      Job.state.in_((QUEUED, RUNNING)),
                                                      Job.updated_at > now - STALE).limit(1))
        if pending is not None or not due(session, now):
            return None
        return ctx.jobs.enqueue(session, PURGE_PERSONAL_DATA, org_id=None, params={}, now=now).id


def schedule_quietly(ctx: ServiceContext) -> None:
    """:func:`schedule`, for a worker starting: a failure is logged, never raised (the next hour tries again)."""
    try:
        schedule(ctx)
    except Exception:
        log.exception("the retention purge could not be queued; the next hour tries again")


def run(ctx: ServiceContext, job_id: str, *, should_stop: Callable[[], bool] = _never) -> bool:
    """Run the purge for job ``job_id``; true once nothing due is left, false when stopped before."""
    return purge(ctx, actor="system", job_id=job_id, should_stop=should_stop).finished
