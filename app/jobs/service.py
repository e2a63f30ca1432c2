"""Use cases of the jobs API: an organisation follows its own jobs."""

from __future__ import annotations

from typing import TYPE_CHECKING

from app import presenters
from app.errors import NotFound
from app.models import Job

if TYPE_CHECKING:
    from app.principal import Principal
    from app.schemas.jobs import JobOut
    from app.services.context import ServiceContext

__all__ = ["read"]


def read(ctx: ServiceContext, principal: Principal, job_id: str) -> JobOut:
    """One job of the calling organisation (another organisation's job is not found)."""
    with ctx.db.sessions() as session:
        row = session.get(Job, job_id)
        if row is None or row.org_id != principal.org_id:
            raise NotFound("No such job.", "Tâche introuvable.")
        return presenters.job_out(row, ctx.urls)
