"""The ``jobs`` rows: created with the change that causes a job, then moved along by each run.

Each transition is its own short transaction (a run that fails still leaves its record). ``last_error`` is short and
safe to show: our own errors give their code and English message, anything else only its type.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from app.errors import SavoirsError
from app.models import Job

if TYPE_CHECKING:
    from datetime import datetime

    from sqlalchemy.orm import Session

    from app.services.context import ServiceContext

__all__ = ["FAILED", "QUEUED", "RUNNING", "SUCCEEDED", "FailureRecorder", "describe", "failed", "new", "start",
           "succeeded"]

QUEUED, RUNNING, SUCCEEDED, FAILED = "queued", "running", "succeeded", "failed"
MAX_ERROR = 300


#: what a job kind records beside the job's own record when a run fails: ``(session, job, error, final)``, in the
#: same transaction (e.g. the state of the email a ``send_email`` job sends)
FailureRecorder = Callable[["Session", Job, BaseException, bool], None]


def new(session: Session, kind: str, *, org_id: str | None, params: dict[str, Any], now: datetime) -> Job:
    """A queued job row in the caller's transaction (flushed, so its id is known); ``org_id`` None for a job done
    on no organisation's behalf."""
    row = Job(org_id=org_id, kind=kind, state=QUEUED, params=params, attempts=0, progress_done=0, created_at=now,
              updated_at=now)
    session.add(row)
    session.flush()
    return row


def start(ctx: ServiceContext, job_id: str) -> bool:
    """Count one more run and mark the job running; false when there is nothing to run (the job is gone, e.g. its
    organisation was deleted, or a previous run already succeeded)."""
    with ctx.db.transaction() as session:
        row = session.get(Job, job_id)
        if row is None or row.state == SUCCEEDED:
            return False
        row.state, row.attempts, row.updated_at = RUNNING, row.attempts + 1, ctx.clock.now()
        return True


def succeeded(ctx: ServiceContext, job_id: str) -> None:
    with ctx.db.transaction() as session:
        row = session.get(Job, job_id)
        if row is not None:
            row.state, row.updated_at = SUCCEEDED, ctx.clock.now()
            if row.progress_total is not None:
                row.progress_done = row.progress_total


def failed(ctx: ServiceContext, job_id: str, error: BaseException, *, final: bool,
           also: FailureRecorder | None = None) -> None:
    """Record a failed run: ``queued`` again when it will be retried, ``failed`` after the last attempt; ``also``
    records the failure on what the job works on, in the same transaction."""
    with ctx.db.transaction() as session:
        row = session.get(Job, job_id)
        if row is not None:
            row.state, row.last_error, row.updated_at = FAILED if final else QUEUED, describe(error), ctx.clock.now()
            if also is not None:
                also(session, row, error, final)


def describe(error: BaseException) -> str:
    """A short account of a failure, without secrets or personal data."""
    from procrastinate.exceptions import JobAborted

    if isinstance(error, SavoirsError):
        text = f"{error.code}: {error.message_en}"
    elif isinstance(error, JobAborted):
        text = "aborted: the worker stopped before the job finished; the next run resumes where it stopped"
    else:
        text = f"{type(error).__name__}: unexpected failure (details in the worker's log)"
    return text[:MAX_ERROR]
