"""Background jobs: work that must not be lost and must not hold up a request.

A job is enqueued **in the transaction of the change that causes it** (:meth:`JobQueue.enqueue`): committed with
it, or never. It is run by procrastinate, retried with a growing delay, and visible in the ``jobs`` table
(state, attempts, last error, progress) and at ``GET /api/v1/jobs/{id}``. Every job is safe to run again: a worker
that dies mid-way leaves a job that resumes where it stopped.

* PostgreSQL: procrastinate's tables hold the queue; the job is inserted on the caller's own connection, inside
  its transaction. ``savoirs worker`` runs jobs (any number of workers; each job runs once, row-locked).
* SQLite (the default): procrastinate has no SQLite backend. Jobs wait in memory until the transaction commits
  (dropped on rollback), then a worker thread inside ``savoirs serve`` runs them. Queued jobs do not survive a
  restart in memory, but the ``jobs`` table does: on start, the worker re-enqueues every job left queued or running.

A job usually belongs to an organisation (``jobs.org_id``); one done on no organisation's behalf (sending a
holder's sign-in email, the retention purge) has none. Jobs of a kind are serialised by the lock
:data:`.kinds.LOCKED_BY` names: one re-signing at a time per organisation, each email on its own, one purge at a
time. A failed run is retried with a growing delay (:data:`.tasks.RETRY`), unless it raised
:class:`.errors.PermanentJobError`. Long-running workers also defer periodic tasks (:func:`.tasks.register_periodic`):
the hourly retention purge (both backends) and, on PostgreSQL, the jobs of dead workers queued again.

Modules: :mod:`.kinds` (the job kinds), :mod:`.queue` (enqueue, backends), :mod:`.tasks` (what procrastinate
runs, and the record each run leaves), :mod:`.records` (the ``jobs`` rows), :mod:`.errors` (a failure not worth
retrying), :mod:`.resign` (re-signing after a key compromise; sending email is :mod:`app.mail.sending`),
:mod:`.purge` (when the retention purge is queued; what it erases is :mod:`app.services.recognition.purge`),
:mod:`.runner` (the in-process thread and ``savoirs worker``), :mod:`.service` (reading a job), :mod:`.testing`
(run due jobs now). :mod:`.schema` (procrastinate's tables, for Alembic).
Nothing here connects or starts at import.
"""
