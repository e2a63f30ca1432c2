"""Run the jobs that are due now, then return: deterministic tests on both backends (no sleeping, no polling).

``run_pending(app)`` runs the application's queue with its own context; ``ctx=`` runs them as another worker would
(e.g. one without a key-encryption key). On SQLite the application must not run its in-process worker
(``create_app(settings, jobs_in_process=False)``): this function is that worker, for a moment.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from procrastinate.job_context import JobContext
from procrastinate.worker import Worker
from sqlalchemy import text

from app.services.context import ServiceContext

__all__ = ["run_pending"]


def _stop_after(limit: int) -> Callable[[Callable[[], Awaitable[Any]], JobContext, Worker], Awaitable[Any]]:
    """A procrastinate worker middleware: stop fetching after ``limit`` runs (the last one finishes)."""
    runs = 0

    async def middleware(call_next: Callable[[], Awaitable[Any]], context: JobContext, worker: Worker) -> Any:
        nonlocal runs
        try:
            return await call_next()
        finally:
            runs += 1
            if runs >= limit:
                worker.stop()  # type: ignore[no-untyped-call]

    return middleware


def _make_due(owner: ServiceContext) -> None:
    """Retries waiting for their delay become due now (what time would do)."""
    queue = owner.jobs
    if queue.in_memory:
        for row in getattr(queue.connector, "jobs", {}).values():
            if row["status"] == "todo":
                row["scheduled_at"] = None
        return
    with owner.db.transaction() as session:
        session.execute(text("UPDATE procrastinate_jobs SET scheduled_at = NULL "
                             "WHERE status = 'todo' AND scheduled_at IS NOT NULL"))


def run_pending(owner: ServiceContext | Any, *, ctx: ServiceContext | None = None, due_now: bool = False,
                limit: int | None = None) -> None:
    """Run the jobs of ``owner`` (a ServiceContext, or an application holding one in ``state.ctx``) that are due.

    :param ctx: the context jobs run with (default: the owner's).
    :param due_now: first make retries that wait for their delay due.
    :param limit: stop after this many runs (a retry counts as a run).
    """
    queue_ctx: ServiceContext = owner if isinstance(owner, ServiceContext) else owner.state.ctx
    queue = queue_ctx.jobs
    if queue.runner is not None:
        raise RuntimeError("the in-process worker runs this queue: create the app with jobs_in_process=False")
    if due_now:
        _make_due(queue_ctx)
    queue.app.run_worker(wait=False, install_signal_handlers=False, listen_notify=False,
                         additional_context={"ctx": ctx or queue_ctx},
                         worker_middleware=[_stop_after(limit)] if limit is not None else [])
