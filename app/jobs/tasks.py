"""What procrastinate runs: one task per job kind, each wrapped so that every run leaves its record.

A task receives the ``ServiceContext`` of the worker that runs it (``additional_context["ctx"]``): the web
application's own on SQLite, one built from the settings by ``savoirs worker`` on PostgreSQL. It is sync (it uses
our sync sessions; procrastinate runs it in a thread).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import procrastinate
from procrastinate.exceptions import JobAborted
from procrastinate.job_context import AbortReason, JobContext
from procrastinate.retry import RetryDecision

from app.jobs import records
from app.jobs.errors import PermanentJobError
from app.jobs.kinds import KINDS, LOCKED_BY, RESIGN_CREDENTIALS, SEND_EMAIL

if TYPE_CHECKING:
    from app.services.context import ServiceContext

__all__ = ["RETRY", "STALLED", "build_app", "lock_for", "retry_stalled_jobs", "task_name"]

log = logging.getLogger("savoirs.jobs")


class _Retry(procrastinate.RetryStrategy):
    """procrastinate's strategy, except that a :class:`PermanentJobError` is never retried."""

    def get_retry_decision(self, *, exception: BaseException,
                           job: procrastinate.jobs.Job) -> RetryDecision | None:
        if isinstance(exception, PermanentJobError):
            return None
        return super().get_retry_decision(exception=exception, job=job)


#: a failed run is retried 5 times at most (6 runs), after 5 s, 25 s, 125 s, 625 s and 3125 s; a
#: :class:`PermanentJobError` is not retried
RETRY = _Retry(max_attempts=5, exponential_wait=5)
#: the periodic task ``savoirs worker`` schedules: jobs of a worker that died (no heartbeat) run again
STALLED = "savoirs.retry_stalled_jobs"

Handler = Callable[..., bool]


def task_name(kind: str) -> str:
    return f"savoirs.{kind}"


def lock_for(kind: str, arguments: Mapping[str, Any]) -> str:
    """Jobs of one kind with the same lock run one at a time (procrastinate ``lock``): re-signing jobs per
    organisation, email jobs per message (:data:`app.jobs.kinds.LOCKED_BY`)."""
    return f"savoirs.{kind}.{arguments[LOCKED_BY[kind]]}"


def _handler(kind: str) -> tuple[Handler, records.FailureRecorder | None]:
    """What runs a job of ``kind``, and what records a failed run beside the job's record (if anything)."""
    from app.jobs import resign
    from app.mail import sending

    handlers: dict[str, tuple[Handler, records.FailureRecorder | None]] = {
        RESIGN_CREDENTIALS: (resign.run, None), SEND_EMAIL: (sending.run, sending.record_failure)}
    return handlers[kind]


def _retried(context: JobContext, error: BaseException) -> bool:
    """Whether procrastinate will run the job again after ``error`` (the worker's own rule)."""
    if isinstance(error, JobAborted) and context.abort_reason() != AbortReason.SHUTDOWN:
        return False
    return context.task.get_retry_exception(exception=error, job=context.job) is not None


def _tracked(kind: str, context: JobContext, job_id: str) -> None:
    ctx: ServiceContext = context.additional_context["ctx"]
    if not records.start(ctx, job_id):
        log.info("job %s: nothing to run", job_id)
        return
    handler, record_failure = _handler(kind)
    try:
        if not handler(ctx, job_id, should_stop=context.should_abort):
            raise JobAborted()
    except BaseException as error:
        records.failed(ctx, job_id, error, final=not _retried(context, error), also=record_failure)
        raise
    records.succeeded(ctx, job_id)


def _task(kind: str) -> Callable[..., None]:
    def run(context: JobContext, job_id: str, **_ids: Any) -> None:
        _tracked(kind, context, job_id)

    run.__name__ = run.__qualname__ = kind
    return run


async def retry_stalled_jobs(app: procrastinate.App) -> None:
    """Queue again the jobs left running by workers that stopped sending their heartbeat (crashed, killed)."""
    manager = app.job_manager
    for job in await manager.get_stalled_jobs():
        log.warning("job %s was left running by a worker that stopped: running it again", job.id)
        await manager.retry_job(job)


async def _retry_stalled_jobs(context: JobContext, timestamp: int) -> None:
    await retry_stalled_jobs(context.app)


def build_app(connector: procrastinate.BaseConnector) -> procrastinate.App:
    """A procrastinate application with our tasks, for one :class:`JobQueue` (nothing is opened here)."""
    app = procrastinate.App(connector=connector)
    for kind in KINDS:
        app.task(name=task_name(kind), pass_context=True, retry=RETRY)(_task(kind))
    app.task(name=STALLED, pass_context=True, queueing_lock=STALLED)(_retry_stalled_jobs)
    return app
