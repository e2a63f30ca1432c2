"""The job queue of one application or command-line run: enqueue in the caller's transaction, on either backend.

PostgreSQL: the procrastinate job is inserted on the session's own psycopg connection, inside its transaction
(procrastinate's ``connection=``): committed or rolled back with the change. The connector's pool is never opened in
the web process; only workers open one. The insert always goes through a synchronous connector that is never
opened (it only ever uses the connection it is given): procrastinate's own connector, once a worker has opened it,
would treat the session's synchronous connection as an asynchronous one, so a job queuing another job (the hourly
task queuing the purge) would fail.

SQLite: procrastinate's in-memory connector (it has no SQLite backend). Jobs wait in ``session.info`` until the
transaction commits (SQLAlchemy ``after_commit``; dropped on rollback), then go to the in-process worker
(:mod:`app.jobs.runner`).
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import Session

from app.jobs import records

if TYPE_CHECKING:
    import procrastinate

    from app.jobs.runner import InProcessWorker
    from app.models import Job

__all__ = ["JobQueue"]

log = logging.getLogger("savoirs.jobs")

_PENDING = "savoirs.jobs.pending"  # session.info: (kind, task arguments) waiting for the commit


def _conninfo(url: URL) -> str:
    """libpq connection string of a SQLAlchemy PostgreSQL URL (``postgresql+psycopg://…``)."""
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


class JobQueue:
    """procrastinate, set up for the application's database; nothing connects here."""

    def __init__(self, database_url: str) -> None:
        from procrastinate import PsycopgConnector, SyncPsycopgConnector
        from procrastinate.manager import JobManager
        from procrastinate.testing import InMemoryConnector

        from app.jobs.tasks import build_app

        url = make_url(database_url)
        #: true on SQLite: jobs live in this process (see the module documentation)
        self.in_memory = url.get_backend_name() != "postgresql"
        self.connector: procrastinate.BaseConnector = (
            InMemoryConnector() if self.in_memory else PsycopgConnector(conninfo=_conninfo(url), min_size=1,
                                                                        max_size=4))
        #: PostgreSQL: inserts jobs on the connection of the caller's transaction, and nothing else
        self._in_transaction = None if self.in_memory else JobManager(SyncPsycopgConnector())
        self.app = build_app(self.connector)
        #: the worker thread running this queue's jobs in this process (SQLite), while it runs
        self.runner: InProcessWorker | None = None

    def enqueue(self, session: Session, kind: str, *, org_id: str | None, params: dict[str, Any],
                now: datetime) -> Job:
        """Record a job and queue it in ``session``'s transaction: it exists if and only if that transaction
        commits. ``org_id`` is None for a job done on no organisation's behalf. ``params`` are ids (shown in
        procrastinate's table and logs), never personal data."""
        row = records.new(session, kind, org_id=org_id, params=params, now=now)
        arguments = {"job_id": row.id, "org_id": org_id, **params}
        if self._in_transaction is None:
            self._pending(session).append((kind, arguments))
        else:
            raw = session.connection().connection.driver_connection  # the psycopg connection, mid-transaction
            job = self._deferrer(kind, arguments).make_new_job(**arguments)
            self._in_transaction.defer_job(job=job, connection=raw)
        return row

    def requeue(self, job: Job) -> None:
        """Queue again a job whose record says it did not finish (SQLite: after a restart lost the memory)."""
        self.defer(job.kind, {"job_id": job.id, "org_id": job.org_id, **job.params})

    def defer(self, kind: str, arguments: dict[str, Any]) -> None:
        """Queue now, outside any transaction of ours (SQLite: on the worker's event loop when it runs)."""
        deferrer = self._deferrer(kind, arguments)
        if self.runner is not None and self.runner.running:
            self.runner.call(deferrer.defer_async(**arguments))
        else:
            deferrer.defer(**arguments)

    def _deferrer(self, kind: str, arguments: dict[str, Any]) -> procrastinate.jobs.JobDeferrer:
        from app.jobs.tasks import lock_for, task_name

        return self.app.tasks[task_name(kind)].configure(lock=lock_for(kind, arguments))

    def _pending(self, session: Session) -> list[tuple[str, dict[str, Any]]]:
        pending: list[tuple[str, dict[str, Any]]] | None = session.info.get(_PENDING)
        if pending is None:
            pending = session.info[_PENDING] = []
            event.listen(session, "after_commit", self._flush)
            event.listen(session, "after_rollback", _drop)
        return pending

    def _flush(self, session: Session) -> None:
        pending, session.info[_PENDING] = session.info.get(_PENDING) or [], []
        for kind, arguments in pending:
            try:
                self.defer(kind, arguments)
            except Exception:  # committed already: the record stays queued and the next start queues it again
                log.exception("job %s could not be queued in memory", arguments["job_id"])


def _drop(session: Session) -> None:
    session.info[_PENDING] = []
