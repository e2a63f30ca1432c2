"""What procrastinate runs: one task per job kind, each wrapped so that every run leaves its record.

A task receives the ``ServiceContext`` of the worker that runs it (``additional_context["ctx"]``): the web
application's own on SQLite, one built from the settings by ``savoirs worker`` on PostgreSQL. It is sync (it uses
our sync sessions; procrastinate runs it in a thread).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import procrastinate
from procrastinate.exceptions import JobAborted
from procrastinate.job_context import AbortReason, JobContext
from procrastinate.retry import RetryDecision

from app.jobs import records
from app.jobs.errors import PermanentJobError
from app.jobs.kinds import KINDS, LOCKED_BY, PURGE_PERSONAL_DATA, RESIGN_CREDENTIALS, SEND_EMAIL

if TYPE_CHECKING:
    from app.services.context import ServiceContext

__all__ = ["PURGE_CRON", "RETRY", "SCHEDULE_PURGE", "STALLED", "STALLED_CRON", "build_app", "lock_for",
           "register_periodic", "retry_stalled_jobs", "task_name"]

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
STALLED_CRON = "*/5 * * * *"
#: the periodic task that queues the retention purge when something is due (:mod:`app.jobs.purge`): every hour,
#: at 17 minutes past (away from the top of the hour, where scheduled work bunches)
SCHEDULE_PURGE = "savoirs.schedule_purge"
PURGE_CRON = "17 * * * *"

Handler = Callable[..., bool]


def task_name(kind: str) -> str:
    return f"savoirs.{kind}"


def lock_for(kind: str, arguments: Mapping[str, Any]) -> str:
    """Jobs of one kind with the same lock run one at a time (procrastinate ``lock``): re-signing jobs per
    organisation, email jobs per message, purges one at a time (:data:`app.jobs.kinds.LOCKED_BY`)."""
    argument = LOCKED_BY[kind]
    return f"savoirs.{kind}" if argument is None else f"savoirs.{kind}.{arguments[argument]}"


def _handler(kind: str) -> tuple[Handler, records.FailureRecorder | None]:
    """What runs a job of ``kind``, and what records a failed run beside the job's record (if anything)."""
    from app.jobs import purge, resign
    from app.mail import sending

    handlers: dict[str, tuple[Handler, records.FailureRecorder | None]] = {
        RESIGN_CREDENTIALS: (resign.run, None), SEND_EMAIL: (sending.run, sending.record_failure),
        PURGE_PERSONAL_DATA: (purge.run, None)}
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
    started = time.perf_counter()
    try:
        if not handler(ctx, job_id, should_stop=context.should_abort):
            raise JobAborted()
    except BaseException as error:
        records.failed(ctx, job_id, error, final=not _retried(context, error), also=record_failure)
        _measured(ctx, kind, "failed", started)
        raise
    records.succeeded(ctx, job_id)
    _measured(ctx, kind, "succeeded", started)


def _measured(ctx: ServiceContext, kind: str, outcome: str, started: float) -> None:
    ctx.metrics.jobs.labels(kind, outcome).inc()
    ctx.metrics.job_seconds.labels(kind).observe(time.perf_counter() - started)


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


def _schedule_purge(context: JobContext, timestamp: int) -> None:
    """Sync (our sessions; procrastinate runs it in a thread): queue the purge job when something is due."""
    from app.jobs import purge

    purge.schedule(context.additional_context["ctx"])


def register_periodic(app: procrastinate.App, *, stalled: bool) -> None:
    """Register the periodic tasks a long-running worker defers (each once, however often this is called): the
    hourly purge, and (``stalled``, PostgreSQL) the jobs of dead workers queued again every 5 minutes."""
    wanted = [(SCHEDULE_PURGE, PURGE_CRON)] + ([(STALLED, STALLED_CRON)] if stalled else [])
    registry = app.periodic_registry
    for name, cron in wanted:
        if (name, "") not in registry.periodic_tasks:
            registry.register_task(task=app.tasks[name], cron=cron, periodic_id="", configure_kwargs={})


def build_app(connector: procrastinate.BaseConnector) -> procrastinate.App:
    """A procrastinate application with our tasks, for one :class:`JobQueue` (nothing is opened here)."""
    app = procrastinate.App(connector=connector)
    for kind in KINDS:
        app.task(name=task_name(kind), pass_context=True, retry=RETRY)(_task(kind))
    app.task(name=STALLED, pass_context=True, queueing_lock=STALLED)(_retry_stalled_jobs)
    app.task(name=SCHEDULE_PURGE, pass_context=True, queueing_lock=SCHEDULE_PURGE)(_schedule_purge)
    return app
