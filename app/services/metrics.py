"""``GET /metrics``: the counters of :mod:`app.metrics`, with the job queue by state read from the database now
(a small grouped count over the jobs table)."""

from __future__ import annotations

from sqlalchemy import func, select

from app.models import Job
from app.services.context import ServiceContext

__all__ = ["exposition"]

_STATES = ("queued", "running", "succeeded", "failed")


def exposition(ctx: ServiceContext) -> bytes:
    """Every metric in Prometheus's text format."""
    with ctx.db.sessions() as session:
        counts = {state: int(count) for state, count in
                  session.execute(select(Job.state, func.count()).group_by(Job.state)).all()}
    for state in sorted({*_STATES, *counts}):
        ctx.metrics.job_queue.labels(state).set(counts.get(state, 0))
    return ctx.metrics.exposition()
