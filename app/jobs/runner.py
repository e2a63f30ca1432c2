"""Running jobs: a worker thread inside the web process (SQLite), ``savoirs worker`` (PostgreSQL).

Both run procrastinate's own worker; jobs get the :class:`ServiceContext` they run with through procrastinate's
``additional_context``.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Coroutine
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from app.errors import ServiceUnavailable
from app.jobs import records
from app.jobs.kinds import KINDS
from app.jobs.purge import schedule_quietly
from app.jobs.tasks import register_periodic, retry_stalled_jobs
from app.models import Job

if TYPE_CHECKING:
    from app.jobs.queue import JobQueue
    from app.services.context import ServiceContext

__all__ = ["InProcessWorker", "serve"]

log = logging.getLogger("savoirs.jobs")

#: how long a stopping worker lets a running job finish its current batch
SHUTDOWN_GRACE = 30.0
#: how often an idle worker looks for jobs whose retry delay has passed
POLL_SECONDS = 1.0


class InProcessWorker:
    """procrastinate's worker on an event loop of its own, in a daemon thread of the web process (SQLite).

    ``start`` queues again every job the ``jobs`` table says did not finish (the memory of a previous process is
    gone) and the retention purge when something is due, which procrastinate's periodic deferrer then queues every
    hour (in memory: one process); ``stop`` lets the running job reach a safe point (between batches), then returns.
    """

    def __init__(self, queue: JobQueue, ctx: ServiceContext) -> None:
        self.queue, self.ctx = queue, ctx
        self._loop: asyncio.AbstractEventLoop | None = None
        self._main: asyncio.Task[Any] | None = None
        self._accepting = False
        self._ready = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        return self._accepting and self._loop is not None

    def start(self) -> None:
        self.queue.runner = self
        register_periodic(self.queue.app, stalled=False)  # before the worker starts: it reads them once
        self._thread = threading.Thread(target=self._run_thread, name="savoirs-jobs", daemon=True)
        self._thread.start()
        self._ready.wait(timeout=30)
        self._requeue_unfinished()
        schedule_quietly(self.ctx)

    def call(self, coroutine: Coroutine[Any, Any, Any]) -> Any:
        """Run ``coroutine`` on the worker's loop (where the in-memory queue lives) and return its result."""
        assert self._loop is not None
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(timeout=30)

    def stop(self) -> None:
        self._accepting = False
        loop, main = self._loop, self._main
        if loop is not None and main is not None:
            loop.call_soon_threadsafe(main.cancel)  # procrastinate's way: the worker stops gracefully
        if self._thread is not None:
            self._thread.join(timeout=SHUTDOWN_GRACE + 30)
        self.queue.runner = None
        # the stopped worker's listener must not be called by later (in-memory) deferrals
        if hasattr(self.queue.connector, "on_notification"):
            self.queue.connector.on_notification = None

    def _run_thread(self) -> None:
        try:
            asyncio.run(self._serve())
        except Exception:
            log.exception("the in-process job worker stopped on an error")
        finally:
            self._accepting, self._loop, self._main = False, None, None
            self._ready.set()

    async def _serve(self) -> None:
        app = self.queue.app
        async with app.open_async():
            self._loop, self._main = asyncio.get_running_loop(), asyncio.current_task()
            self._accepting = True
            self._ready.set()
            try:
                await app.run_worker_async(name="in-process", install_signal_handlers=False,
                                           additional_context={"ctx": self.ctx},
                                           fetch_job_polling_interval=POLL_SECONDS,
                                           shutdown_graceful_timeout=SHUTDOWN_GRACE)
            except asyncio.CancelledError:
                log.info("in-process job worker stopped")

    def _requeue_unfinished(self) -> None:
        with self.ctx.db.sessions() as session:
            unfinished = session.scalars(select(Job).where(Job.state.in_((records.QUEUED, records.RUNNING)))
                                         .order_by(Job.created_at)).all()
        for job in unfinished:
            if job.kind in KINDS:
                log.info("job %s did not finish before the last stop: queued again", job.id)
                self.queue.requeue(job)


def serve(queue: JobQueue, ctx: ServiceContext, *, concurrency: int = 1, once: bool = False) -> None:
    """``savoirs worker`` (PostgreSQL): run jobs until SIGINT/SIGTERM (graceful), or, ``once``, the jobs due now.

    Jobs left running by a worker that stopped sending its heartbeat (a crash, a killed container) run again: at
    start, and every 5 minutes in a long-running worker; their next run resumes where they stopped. A long-running
    worker also queues the retention purge at start and every hour (when something is due; procrastinate defers
    each hour's once, however many workers run); ``once`` does neither.

    :raises ServiceUnavailable: the queue's tables are missing (``savoirs db upgrade`` first).
    """
    app = queue.app
    if not once:
        register_periodic(app, stalled=True)

    async def main() -> None:
        async with app.open_async():
            if not await app.check_connection_async():
                raise ServiceUnavailable("The job queue's tables are missing: run `savoirs db upgrade` first.",
                                         "Les tables de la file des tâches manquent : lancez d'abord "
                                         "`savoirs db upgrade`.", code="job_queue_missing")
            await retry_stalled_jobs(app)
            if not once:
                await asyncio.to_thread(schedule_quietly, ctx)
            await app.run_worker_async(name="savoirs-worker", concurrency=concurrency, wait=not once,
                                       install_signal_handlers=not once, additional_context={"ctx": ctx})

    asyncio.run(main())
